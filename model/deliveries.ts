import type { ChannelKind } from './channels.ts';
import type { Event } from './events/contracts.ts';

/** A channel as a sender needs it: where to send and with which keys. */
export interface ChannelTarget {
  id: string;
  userId: string;
  kind: ChannelKind;
  /** The push endpoint or the webhook URL. */
  url: string | null;
  pushP256dh: string | null;
  pushAuth: string | null;
  /** The webhook's `whsec_` secret. */
  webhookSecret: string | null;
  emailAddress: string | null;
}

/** One try of one delivery. */
export interface DeliveryJob {
  /** Stable across tries: the `webhook-id`, the push `Topic`, the email's Message-ID. */
  deliveryId: string;
  /** 1 for the first try. */
  attempt: number;
  channel: ChannelTarget;
  /** The event delivered, as the outbox published it. */
  event: Event;
}
