import type { EventType } from './events/contracts.ts';
import { CHANNEL_KINDS, type ChannelKind } from './channel-kinds.ts';

export { CHANNEL_KINDS, type ChannelKind };

/**
 * Where a delivery stands: `pending` (waiting for its next try), `sending` (a sender holds it
 * until its lease ends), or final: `delivered`, `failed` (every try failed, or the destination is
 * gone), `cancelled` (its channel was removed or the reminder dismissed before it went out).
 */
export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'delivered',
  'failed',
  'cancelled',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const FINAL_STATUSES: readonly DeliveryStatus[] = ['delivered', 'failed', 'cancelled'];

/** What one try of a delivery came to, as the attempt log records it. */
export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'gone';

/**
 * The waits before each retry, after a first try made at once: Svix's schedule (5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h; about 27.6 hours in all). After the last, the delivery fails.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** The event types a webhook may ask for; reminders by default. */
export const WEBHOOK_EVENT_TYPES = [
  'reminder.due',
  'reminder.sent',
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'task.recurred',
] as const satisfies readonly EventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Per-user bounds on channels; the API refuses more with a LimitExceededError. */
export const CHANNEL_LIMITS = {
  pushSubscriptionsPerUser: 20,
  webhooksPerUser: 10,
  urlLength: 2_000,
  descriptionLength: 200,
  /** Minutes a snooze may last: up to a week. */
  snoozeMinutesMax: 7 * 24 * 60,
  /** An email confirmation code is valid this long, and may be tried this many times. */
  emailCodeTtlMs: 15 * 60_000,
  emailCodeAttempts: 5,
} as const;

/** The application server's VAPID key pair (RFC 8292), base64url, and its contact. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** A `mailto:` or `https:` URL the push service may contact. */
  subject: string;
}

/** A notification channel as the API shows it; secrets and codes stay in the database. */
export interface NotificationChannel {
  id: string;
  userId: string;
  kind: ChannelKind;
  /** The push endpoint or webhook URL; null for email. */
  url: string | null;
  emailAddress: string | null;
  /** When the email address was confirmed; null until then (an unconfirmed one is not sent to). */
  emailVerifiedAt: Date | null;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  disabledAt: Date | null;
  /** Why it was disabled: the destination is gone, has failed for days, or the user said so. */
  disabledReason: string | null;
  /** Since when every try to it has failed; null while it works. */
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
