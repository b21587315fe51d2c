import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';

/**
 * A push subscription as a browser makes it: what `PushSubscription.toJSON()` gives the page
 * (`endpoint`, `keys`), plus what only the browser holds: the ECDH key pair and auth secret that
 * decrypt messages (RFC 8291), and the application server key it was created with (RFC 8292).
 */
export interface BrowserSubscription {
  /** The subscription's id on the push service (the last segment of `endpoint`). */
  id: string;
  /** `<push service origin>/push/<id>`. */
  endpoint: string;
  /** base64url: the uncompressed P-256 public key (`p256dh`) and the 16-byte `auth` secret. */
  keys: { p256dh: string; auth: string };
  /** base64url uncompressed P-256 key that messages to this subscription must be signed for. */
  applicationServerKey: string;
  /** The browser's key pair; its private half decrypts. */
  ecdh: ECDH;
  authSecret: Buffer;
}

/**
 * Makes a subscription as `pushManager.subscribe({ userVisibleOnly: true, applicationServerKey })`
 * would, on the push service at `origin` (e.g. `http://127.0.0.1:40123`). The push service must
 * know it before messages are sent: `PushService.subscribe` makes and registers one in one step.
 */
export function createSubscription(
  origin: string,
  applicationServerKey: string,
): BrowserSubscription {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  const id = randomUUID();
  return {
    id,
    endpoint: `${origin}/push/${id}`,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: authSecret.toString('base64url'),
    },
    applicationServerKey,
    ecdh,
    authSecret,
  };
}
