import type { ChannelKind } from '../../model/channels.ts';
import type { DeliveryJob } from '../../model/deliveries.ts';

export type { ChannelTarget, DeliveryJob } from '../../model/deliveries.ts';

/**
 * What one try came to: `delivered` (the destination acknowledged it), `retry` (a transient
 * failure: try again on the schedule), `failed` (a permanent refusal of this message: no retry)
 * or `gone` (the destination no longer exists, e.g. a push service's 404/410: the channel is
 * disabled).
 */
export interface SendResult {
  outcome: 'delivered' | 'retry' | 'failed' | 'gone';
  /** The HTTP status, or the SMTP reply code; null when no answer came. */
  statusCode: number | null;
  /** Why it did not succeed, for the delivery log. */
  error?: string;
  durationMs: number;
}

/** Sends deliveries of one channel kind. Never throws: every failure is a SendResult. */
export interface ChannelSender {
  kind: ChannelKind;
  send(job: DeliveryJob): Promise<SendResult>;
  /** Releases connections (SMTP pools). */
  close?(): Promise<void>;
}
