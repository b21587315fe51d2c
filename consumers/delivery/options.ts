import type { VapidKeys } from '../../model/channels.ts';
import type { MailerOptions } from '../../lib/mailer.ts';

/** How the delivery service sends; `loadConfig` assembles it from the `DELIVERY_*` variables. */
export interface DeliveryOptions {
  /** The waits before each retry after the first try (DEFAULT_RETRY_SCHEDULE_MS in production). */
  retryScheduleMs: readonly number[];
  /** How long one request to a destination may take before it counts as failed. */
  requestTimeoutMs: number;
  /**
   * How long a sender holds a delivery it took; a sender that dies mid-request leaves it to be
   * taken again after this. Longer than `requestTimeoutMs`.
   */
  leaseMs: number;
  /** A channel failing this long without a success is disabled at its next final failure. */
  disableAfterMs: number;
  /** Whether webhook destinations on private, loopback or link-local addresses are allowed. */
  allowPrivateAddresses: boolean;
  /** Web Push keys; push channels are not offered without them. */
  vapid: VapidKeys | undefined;
  /** SMTP; email channels are not offered without it. */
  smtp: MailerOptions | undefined;
  /** The dashboard's URL, for links in notifications (`<publicUrl>/#task=<id>`). */
  publicUrl: string;
}
