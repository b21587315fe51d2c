import { Webhook } from 'standardwebhooks';
import type { ChannelSender, DeliveryJob, SendResult } from '../channel-sender.ts';
import { DestinationRefusedError, httpPost } from '../http-post.ts';

/** How webhook requests are made. */
export interface WebhookSenderOptions {
  requestTimeoutMs: number;
  allowPrivateAddresses: boolean;
}

const USER_AGENT = 'todo-events-webhooks/1';

/**
 * Sends events to webhooks as the Standard Webhooks spec says: a JSON body
 * `{ type, timestamp, data }` signed with the channel's `whsec_` secret, and the delivery id as
 * `webhook-id`, the same on every retry, so a receiver can drop a repeat. A 2xx answer delivers;
 * any other answer, a timeout or a network error is retried; a destination on a private address
 * (unless allowed) or an unusable URL or secret fails at once.
 */
export function webhookSender(options: WebhookSenderOptions): ChannelSender {
  return {
    kind: 'webhook',
    async send(job: DeliveryJob): Promise<SendResult> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const { url, webhookSecret } = job.channel;
      if (!url || !webhookSecret)
        return { outcome: 'failed', statusCode: null, error: 'no URL or secret', durationMs: 0 };
      const body = JSON.stringify({
        type: job.event.type,
        timestamp: job.event.occurredAt,
        data: job.event,
      });
      let headers: Record<string, string>;
      try {
        const timestamp = new Date();
        headers = {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': job.deliveryId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': new Webhook(webhookSecret).sign(job.deliveryId, timestamp, body),
        };
      } catch (error) {
        return { outcome: 'failed', statusCode: null, error: messageOf(error), durationMs: 0 };
      }
      try {
        const { status, durationMs } = await httpPost(url, {
          headers,
          body,
          timeoutMs: options.requestTimeoutMs,
          allowPrivateAddresses: options.allowPrivateAddresses,
        });
        if (status >= 200 && status < 300)
          return { outcome: 'delivered', statusCode: status, durationMs };
        return { outcome: 'retry', statusCode: status, error: `answered ${status}`, durationMs };
      } catch (error) {
        const permanent = error instanceof DestinationRefusedError || error instanceof TypeError;
        return {
          outcome: permanent ? 'failed' : 'retry',
          statusCode: null,
          error: messageOf(error),
          durationMs: elapsed(),
        };
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
