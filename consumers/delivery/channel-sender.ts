import type { ChannelKind } from '../../model/channels.ts';
import type { Event } from '../../model/events/contracts.ts';

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
