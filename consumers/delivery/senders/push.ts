import { createHash } from 'node:crypto';
import webPush, { type ContentEncoding } from 'web-push';
import type { VapidKeys } from '../../../model/channels.ts';
import type { Event } from '../../../model/events/contracts.ts';
import type { ChannelSender, DeliveryJob, SendResult } from '../channel-sender.ts';
import { DestinationRefusedError, httpPost } from '../http-post.ts';
import { pushReminderMessage } from './push-message.ts';

/** How {@link pushSender} reaches push services. */
export interface PushSenderOptions {
  vapid: VapidKeys;
  requestTimeoutMs: number;
  /** Whether push endpoints on private, loopback or link-local addresses are allowed (tests). */
  allowPrivateAddresses: boolean;
  /** The dashboard's URL; a notification opens `<publicUrl>/#task=<id>`. */
  publicUrl: string;
}

/**
 * How long a push service keeps a message for a browser that is offline: a day, so a phone that
 * was off overnight still shows the morning's reminders.
 */
const TTL_SECONDS = 24 * 60 * 60;
const AES128GCM: ContentEncoding = 'aes128gcm';

/**
 * Sends `reminder.due` events as Web Push messages (RFC 8030), encrypted for the subscription
 * (RFC 8291, aes128gcm) and signed with the VAPID keys (RFC 8292), through `httpPost` (no
 * redirects, private destinations refused unless allowed). A 404 or 410 means the subscription
 * is gone; 429, 5xx and network errors are worth another try; other refusals are final.
 */
export function pushSender(options: PushSenderOptions): ChannelSender {
  return { kind: 'push', send: (job) => sendPush(job, options) };
}

async function sendPush(job: DeliveryJob, options: PushSenderOptions): Promise<SendResult> {
  const { channel, event } = job;
  if (event.type !== 'reminder.due')
    return failed(`push delivers reminder.due events only, not ${event.type}`);
  if (!channel.url || !channel.pushP256dh || !channel.pushAuth)
    return failed('the push channel has no endpoint or keys');
  let request: { headers: Record<string, string>; body: Buffer };
  try {
    request = pushRequest(job, event, options);
  } catch (error) {
    // web-push refuses keys that are not P-256 points or auth secrets of the right size.
    return failed(`the push message could not be built: ${messageOf(error)}`);
  }
  const started = performance.now();
  try {
    const { status, durationMs } = await httpPost(channel.url, {
      ...request,
      timeoutMs: options.requestTimeoutMs,
      allowPrivateAddresses: options.allowPrivateAddresses,
    });
    return { ...outcomeOf(status), statusCode: status, durationMs };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    const permanent = error instanceof DestinationRefusedError || error instanceof TypeError;
    return {
      outcome: permanent ? 'failed' : 'retry',
      statusCode: null,
      error: messageOf(error),
      durationMs,
    };
  }
}

/** The encrypted, VAPID-signed request, with header values as strings. */
function pushRequest(
  job: DeliveryJob,
  event: Event<'reminder.due'>,
  options: PushSenderOptions,
): { headers: Record<string, string>; body: Buffer } {
  const message = pushReminderMessage(job.deliveryId, event, options.publicUrl);
  const details = webPush.generateRequestDetails(
    {
      endpoint: job.channel.url!,
      keys: { p256dh: job.channel.pushP256dh!, auth: job.channel.pushAuth! },
    },
    JSON.stringify(message),
    {
      vapidDetails: options.vapid,
      TTL: TTL_SECONDS,
      contentEncoding: AES128GCM,
      urgency: 'high',
      topic: topicOf(job.deliveryId),
    },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(details.headers)) {
    // httpPost sets the length of the body it sends.
    if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
  }
  return { headers, body: details.body };
}

/**
 * The `Topic` header (at most 32 URL-safe base64 characters): a push service keeps only the
 * newest message of a topic, so a retried delivery never shows twice to a browser that was away.
 */
function topicOf(deliveryId: string): string {
  const compact = deliveryId.replaceAll('-', '');
  return /^[A-Za-z0-9_-]{1,32}$/.test(compact)
    ? compact
    : createHash('sha256').update(deliveryId).digest('base64url').slice(0, 32);
}

/** What a push service's status means for this delivery (RFC 8030 section 5, RFC 8292). */
function outcomeOf(status: number): Pick<SendResult, 'outcome' | 'error'> {
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status === 404 || status === 410)
    return { outcome: 'gone', error: `the push service answered ${status}: subscription gone` };
  if (status === 408 || status === 429 || status >= 500)
    return { outcome: 'retry', error: `the push service answered ${status}` };
  return { outcome: 'failed', error: `the push service refused the message (${status})` };
}

const failed = (error: string): SendResult => ({
  outcome: 'failed',
  statusCode: null,
  error,
  durationMs: 0,
});

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
