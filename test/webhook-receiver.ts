import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver took. */
export interface ReceivedWebhook {
  /** The `webhook-id` header. */
  id: string;
  /** The verified body, parsed; undefined when the signature did not verify. */
  payload: { type: string; timestamp: string; data: any } | undefined;
  verified: boolean;
  receivedAt: number;
  /** The status it answered (0 until it answers). */
  status: number;
  /** Whether a 2xx answer was written before the sender's socket closed. */
  acknowledged: boolean;
}

/**
 * A webhook endpoint on 127.0.0.1, as a customer's server would be: it verifies each request
 * with the `standardwebhooks` verifier and the channel's secret (400 when it does not verify),
 * and records what came. It can be told to fail the next requests with 500 or to delay its
 * answers; an answer whose sender hung up first is recorded as not acknowledged.
 */
export interface WebhookReceiver {
  url: string;
  /** The channel's `whsec_` secret, which the receiver verifies with. */
  secret: string;
  received: ReceivedWebhook[];
  /** Requests answered 2xx before their sender hung up. */
  acknowledged(): ReceivedWebhook[];
  /** Answers the next `count` requests with 500. */
  failNext(count: number): void;
  /** Waits this long before answering. */
  delayMs: number;
  /** Verifies with `secret` from now on: the one `createWebhook` answered with. */
  verifyWith(secret: string): void;
  close(): Promise<void>;
}

/** Starts a receiver with a fresh secret. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let verifier = new Webhook(secret);
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const receiver = {
    delayMs: 0,
    secret,
  };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const record: ReceivedWebhook = {
      id: String(request.headers['webhook-id']),
      payload: undefined,
      verified: false,
      receivedAt: Date.now(),
      status: 0,
      acknowledged: false,
    };
    received.push(record);
    try {
      record.payload = verifier.verify(body, request.headers as Record<string, string>) as any;
      record.verified = true;
    } catch {
      record.verified = false;
    }
    let hungUp = false;
    response.on('close', () => {
      if (!response.writableFinished) hungUp = true;
    });
    const status = !record.verified ? 400 : failures > 0 ? (failures--, 500) : 204;
    if (receiver.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, receiver.delayMs));
    if (hungUp || response.destroyed) return;
    response.statusCode = status;
    response.end(() => {
      record.status = status;
      record.acknowledged = status >= 200 && status < 300 && !hungUp;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    acknowledged: () => received.filter((record) => record.acknowledged),
    failNext(count: number) {
      failures = count;
    },
    verifyWith(newSecret: string) {
      verifier = new Webhook(newSecret);
      receiver.secret = newSecret;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
