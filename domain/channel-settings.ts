import type { Mailer } from '../lib/mailer.ts';

/** What the API needs to manage notification channels; assembled by the server from its config. */
export interface ChannelSettings {
  /** The VAPID public key browsers subscribe with; push is not offered without it. */
  vapidPublicKey: string | undefined;
  /** Sends email confirmation codes; email channels are not offered without it. */
  mailer: Mailer | undefined;
  /** Whether webhook URLs may point at private, loopback or link-local addresses. */
  allowPrivateAddresses: boolean;
  /** The dashboard's URL, for links in messages. */
  publicUrl: string;
}
