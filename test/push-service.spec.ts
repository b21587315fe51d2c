import { importJWK, SignJWT, type JWTPayload } from 'jose';
import webPush from 'web-push';
import { startPushService, type PushService } from './push-service.ts';
import type { BrowserSubscription } from './push-subscription.ts';

// The fake push service stands in for a real one in the delivery tests, so it must refuse what a
// real one refuses: these check each of its refusals.
const vapid = { ...webPush.generateVAPIDKeys(), subject: 'mailto:ops@example.com' };
let service: PushService;
let subscription: BrowserSubscription;

beforeAll(async () => {
  service = await startPushService();
});
beforeEach(() => {
  subscription = service.subscribe(vapid.publicKey);
});
afterAll(() => service.close());

/** A message as web-push builds it for the subscription, which the service accepts. */
function message(payload = '{"hello":"world"}') {
  const details = webPush.generateRequestDetails(subscription, payload, {
    vapidDetails: vapid,
    TTL: 60,
    contentEncoding: 'aes128gcm',
  });
  const headers = Object.fromEntries(
    Object.entries(details.headers).map(([name, value]) => [name, String(value)]),
  );
  delete headers['Content-Length'];
  return { headers, body: new Uint8Array(details.body) };
}

const post = ({ headers, body }: ReturnType<typeof message>) =>
  fetch(subscription.endpoint, { method: 'POST', headers, body });

/** A VAPID Authorization signed with `keys`, carrying `claims`, naming `k` as its key. */
async function authorization(claims: JWTPayload, keys = vapid, k = keys.publicKey) {
  const point = Buffer.from(keys.publicKey, 'base64url');
  const privateKey = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
      d: keys.privateKey,
    },
    'ES256',
  );
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .sign(privateKey);
  return `vapid t=${jwt}, k=${k}`;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

it('accepts what web-push sends and decrypts it as the browser would', async () => {
  const response = await post(message());

  expect(response.status).toBe(201);
  expect(service.received(subscription.endpoint).map((m) => m.payload)).toEqual([
    '{"hello":"world"}',
  ]);
});

it('resolves waitForMessages once the messages arrived', async () => {
  const waiting = service.waitForMessages(subscription.endpoint, 2);
  await post(message());
  await post(message());

  expect(await waiting).toHaveLength(2);
});

it.each<[string, (headers: Record<string, string>) => void | Promise<void>, number]>([
  ['no Authorization', (h) => void delete h.Authorization, 401],
  ['a bearer token', (h) => void (h.Authorization = 'Bearer abc'), 401],
  [
    'a JWT for another audience',
    async (h) => {
      h.Authorization = await authorization({
        aud: 'https://push.example.net',
        exp: inAnHour(),
        sub: vapid.subject,
      });
    },
    403,
  ],
  [
    'an expired JWT',
    async (h) => {
      h.Authorization = await authorization({
        aud: service.origin,
        exp: Math.floor(Date.now() / 1000) - 60,
        sub: vapid.subject,
      });
    },
    403,
  ],
  [
    'a JWT valid for more than 24 hours',
    async (h) => {
      h.Authorization = await authorization({
        aud: service.origin,
        exp: inAnHour() + 24 * 3600,
        sub: vapid.subject,
      });
    },
    403,
  ],
  [
    'a JWT whose sub is not a contact URL',
    async (h) => {
      h.Authorization = await authorization({ aud: service.origin, exp: inAnHour(), sub: 'ops' });
    },
    403,
  ],
  [
    'a JWT signed by a key other than k',
    async (h) => {
      const forged = await authorization(
        { aud: service.origin, exp: inAnHour(), sub: vapid.subject },
        { ...webPush.generateVAPIDKeys(), subject: vapid.subject },
        vapid.publicKey,
      );
      h.Authorization = forged;
    },
    403,
  ],
  ['no TTL', (h) => void delete h.TTL, 400],
  ['an unknown Urgency', (h) => void (h.Urgency = 'urgent'), 400],
  ['a Topic over 32 characters', (h) => void (h.Topic = 'a'.repeat(33)), 400],
  ['the older aesgcm encoding', (h) => void (h['Content-Encoding'] = 'aesgcm'), 415],
])('refuses a message with %s', async (_, change, status) => {
  const changed = message();
  await change(changed.headers);

  const response = await post(changed);

  expect(response.status).toBe(status);
  expect(service.received(subscription.endpoint)).toHaveLength(0);
});

it('refuses a body over 4096 bytes', async () => {
  const response = await post(message('x'.repeat(4_100)));

  expect(response.status).toBe(413);
  expect(service.received(subscription.endpoint)).toHaveLength(0);
});

it('refuses a message encrypted for another browser', async () => {
  const other = service.subscribe(vapid.publicKey);
  const details = webPush.generateRequestDetails(other, 'secret', {
    vapidDetails: vapid,
    contentEncoding: 'aes128gcm',
  });
  const headers = Object.fromEntries(
    Object.entries(details.headers).map(([name, value]) => [name, String(value)]),
  );

  const response = await fetch(subscription.endpoint, {
    method: 'POST',
    headers,
    body: new Uint8Array(details.body),
  });

  expect(response.status).toBe(400);
  expect(service.refused.at(-1)?.reason).toMatch(/decrypt/);
});

it('answers 404 for an unknown subscription', async () => {
  const response = await fetch(`${service.origin}/push/unknown`, { method: 'POST', body: 'x' });

  expect(response.status).toBe(404);
});
