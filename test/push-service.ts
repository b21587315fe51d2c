import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import { importJWK, jwtVerify, type JWTPayload } from 'jose';
import { createSubscription, type BrowserSubscription } from './push-subscription.ts';

/** A message the push service accepted, decrypted as the browser would. */
export interface ReceivedPush {
  /** The plaintext the application server encrypted. */
  payload: string;
  headers: IncomingHttpHeaders;
  /** The VAPID JWT's claims. */
  claims: JWTPayload;
  receivedAt: Date;
}

/** A request the push service answered with anything but 201. */
export interface RefusedPush {
  subscriptionId: string;
  status: number;
  reason: string;
}

/**
 * A push service on 127.0.0.1 that checks what a real one checks (RFC 8030, RFC 8292) and
 * decrypts what it accepts as the subscribed browser would (RFC 8291).
 */
export interface PushService {
  /** `http://127.0.0.1:<port>`: endpoints are `<origin>/push/<id>`. */
  origin: string;
  /** Makes a browser-like subscription restricted to `applicationServerKey` and registers it. */
  subscribe(applicationServerKey: string): BrowserSubscription;
  /** Registers a subscription made with `createSubscription` on this origin. */
  register(subscription: BrowserSubscription): void;
  /** The messages accepted for a subscription (by endpoint), oldest first. */
  received(endpoint: string): ReceivedPush[];
  /** Resolves once `count` messages in all were accepted for the endpoint; never times out. */
  waitForMessages(endpoint: string, count: number): Promise<ReceivedPush[]>;
  /** Every request answered with anything but 201, oldest first. */
  readonly refused: readonly RefusedPush[];
  /** Answers `status` (404, 410, 429, 500, ...) to every later message for the endpoint. */
  answerAlways(endpoint: string, status: number): void;
  /** Answers these statuses to the next messages, one each, then accepts again. */
  answerNext(endpoint: string, ...statuses: number[]): void;
  /** Accepts messages for the endpoint again. */
  reset(endpoint: string): void;
  close(): Promise<void>;
}

/** The largest message body a push service must accept (RFC 8030 section 7.2). */
const MAX_BODY_BYTES = 4096;
const DAY_SECONDS = 24 * 60 * 60;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

/** A header sent once; one sent twice counts as not sent. */
const single = (value: string | string[] | undefined) =>
  typeof value === 'string' ? value : undefined;

/** A refusal: the status a real push service would answer, and why. */
class Refusal extends Error {
  readonly status: number;
  constructor(status: number, reason: string) {
    super(reason);
    this.status = status;
  }
}

interface Registered {
  subscription: BrowserSubscription;
  messages: ReceivedPush[];
  always: number | undefined;
  next: number[];
  waiters: { count: number; resolve: (messages: ReceivedPush[]) => void }[];
}

/** Starts a push service on a random port of 127.0.0.1. */
export async function startPushService(): Promise<PushService> {
  const subscriptions = new Map<string, Registered>();
  const refused: RefusedPush[] = [];
  let origin = '';

  const byEndpoint = (endpoint: string): Registered => {
    const found = subscriptions.get(endpoint.slice(endpoint.lastIndexOf('/') + 1));
    if (!found) throw new Error(`${endpoint} is not a subscription of this push service`);
    return found;
  };

  /** Checks a message as RFC 8030 and RFC 8292 ask, then decrypts it as the browser would. */
  async function accept(req: IncomingMessage, body: Buffer, registered: Registered) {
    const { claims, key } = await checkVapid(req.headers.authorization, origin);
    const restrictedTo = Buffer.from(registered.subscription.applicationServerKey, 'base64url');
    if (!Buffer.from(key, 'base64url').equals(restrictedTo))
      throw new Refusal(403, 'the VAPID key is not the one the subscription was created with');
    const ttl = single(req.headers.ttl);
    if (ttl === undefined || !/^\d+$/.test(ttl)) throw new Refusal(400, 'no valid TTL header');
    const urgency = single(req.headers.urgency);
    if (urgency !== undefined && !URGENCIES.has(urgency))
      throw new Refusal(400, `unknown Urgency ${urgency}`);
    const topic = single(req.headers.topic);
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic))
      throw new Refusal(400, 'Topic must be at most 32 URL-safe base64 characters');
    if (req.headers['content-encoding'] !== 'aes128gcm')
      throw new Refusal(415, 'Content-Encoding must be aes128gcm');
    if (body.length > MAX_BODY_BYTES)
      throw new Refusal(413, `the body is ${body.length} bytes, over ${MAX_BODY_BYTES}`);
    let payload: string;
    try {
      payload = decrypt(body, {
        version: 'aes128gcm',
        privateKey: registered.subscription.ecdh,
        authSecret: registered.subscription.authSecret,
      }).toString('utf8');
    } catch (error) {
      // A real push service forwards it and the browser drops it; refusing makes it visible.
      throw new Refusal(400, `the browser could not decrypt it: ${(error as Error).message}`);
    }
    return { payload, headers: req.headers, claims, receivedAt: new Date() };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = /^\/push\/([^/?]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const answer = (status: number, reason?: string) => {
        if (reason !== undefined) refused.push({ subscriptionId: id, status, reason });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(reason ?? '');
      };
      const registered = subscriptions.get(id);
      if (req.method !== 'POST') return answer(405, 'only POST delivers a message');
      if (!registered) return answer(404, 'no such subscription');
      const scripted = registered.next.shift() ?? registered.always;
      if (scripted !== undefined) return answer(scripted, `told to answer ${scripted}`);
      accept(req, Buffer.concat(chunks), registered).then(
        (message) => {
          registered.messages.push(message);
          for (const waiter of [...registered.waiters]) {
            if (registered.messages.length < waiter.count) continue;
            registered.waiters.splice(registered.waiters.indexOf(waiter), 1);
            waiter.resolve(registered.messages.slice());
          }
          res.writeHead(201, { location: `${origin}/message/${registered.messages.length}` });
          res.end();
        },
        (error: unknown) =>
          error instanceof Refusal
            ? answer(error.status, error.message)
            : answer(500, String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const register = (subscription: BrowserSubscription) => {
    if (!subscription.endpoint.startsWith(`${origin}/push/`))
      throw new Error(`${subscription.endpoint} is not on ${origin}`);
    subscriptions.set(subscription.id, {
      subscription,
      messages: [],
      always: undefined,
      next: [],
      waiters: [],
    });
  };

  return {
    origin,
    subscribe(applicationServerKey) {
      const subscription = createSubscription(origin, applicationServerKey);
      register(subscription);
      return subscription;
    },
    register,
    received: (endpoint) => byEndpoint(endpoint).messages.slice(),
    waitForMessages(endpoint, count) {
      const registered = byEndpoint(endpoint);
      if (registered.messages.length >= count) return Promise.resolve(registered.messages.slice());
      return new Promise((resolve) => registered.waiters.push({ count, resolve }));
    },
    refused,
    answerAlways(endpoint, status) {
      byEndpoint(endpoint).always = status;
    },
    answerNext(endpoint, ...statuses) {
      byEndpoint(endpoint).next.push(...statuses);
    },
    reset(endpoint) {
      Object.assign(byEndpoint(endpoint), { always: undefined, next: [] });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Checks an `Authorization: vapid t=<JWT>, k=<key>` header (RFC 8292): an ES256 JWT signed by
 * `k`, for this push service's origin, expiring within 24 hours, with a contact `sub`.
 */
async function checkVapid(
  authorization: string | undefined,
  audience: string,
): Promise<{ claims: JWTPayload; key: string }> {
  const match = /^vapid\s+(.+)$/i.exec(authorization ?? '');
  if (!match) throw new Refusal(401, 'no vapid Authorization');
  const params = new Map(
    match[1]!.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) throw new Refusal(401, 'the vapid Authorization needs t and k');
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4)
    throw new Refusal(401, 'k is not an uncompressed P-256 public key');
  let claims: JWTPayload;
  try {
    const publicKey = await importJWK(
      {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      'ES256',
    );
    ({ payload: claims } = await jwtVerify(token, publicKey, {
      algorithms: ['ES256'],
      audience,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw new Refusal(403, `the VAPID JWT is not valid: ${(error as Error).message}`);
  }
  if (claims.exp! > Date.now() / 1000 + DAY_SECONDS)
    throw new Refusal(403, 'the VAPID JWT expires more than 24 hours ahead');
  if (!/^(mailto:|https:)/.test(claims.sub!))
    throw new Refusal(403, 'the VAPID sub is not a mailto: or https: URL');
  return { claims, key };
}
