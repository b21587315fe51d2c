import { request, unwrap } from './api/graphql.ts';
import { PUSH_PUBLIC_KEY, REGISTER_PUSH, REMOVE_PUSH } from './operations.ts';

type Result = { __typename: string; message?: string };

const byId = (id: string) => document.getElementById(id)!;
const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Whether this browser can receive Web Push at all. */
const supported = () =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** A base64url key as the bytes `pushManager.subscribe` takes. */
function bytesOf(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) =>
    c.charCodeAt(0),
  );
}

/** The "Enable notifications" and "Turn off notifications" buttons. */
export interface PushOptIn {
  /** Shows the button that fits this browser's subscription; none when push is not offered. */
  refresh(): Promise<void>;
  hide(): void;
}

/**
 * Wires the notification buttons: enabling asks for permission, registers the service worker
 * (`/sw.js`), subscribes with the server's VAPID key and registers the subscription with the API;
 * turning off removes it from the API and unsubscribes. `token` gives the current bearer token.
 */
export function pushOptIn(token: () => string): PushOptIn {
  const enable = byId('push-enable') as HTMLButtonElement;
  const disable = byId('push-disable') as HTMLButtonElement;
  const status = byId('push-status');
  let publicKey: string | null = null;

  const show = (subscribed: boolean | undefined, message = '') => {
    enable.hidden = subscribed !== false;
    disable.hidden = subscribed !== true;
    status.textContent = message;
  };
  const subscription = async () =>
    (await navigator.serviceWorker.getRegistration('/'))?.pushManager.getSubscription() ?? null;

  async function subscribe(key: string) {
    if ((await Notification.requestPermission()) !== 'granted')
      throw new Error('Notifications are blocked for this site; allow them in the browser.');
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const registration = await navigator.serviceWorker.ready;
    // A subscription made for another key (the server's keys changed) cannot be reused.
    await (await registration.pushManager.getSubscription())?.unsubscribe();
    const made = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: bytesOf(key),
    });
    const { keys } = made.toJSON();
    try {
      const data = await request<{ registerPushSubscription: Result }>(token(), REGISTER_PUSH, {
        input: { endpoint: made.endpoint, p256dh: keys?.p256dh, auth: keys?.auth },
      });
      unwrap(data.registerPushSubscription);
    } catch (error) {
      await made.unsubscribe();
      throw error;
    }
  }

  async function unsubscribe() {
    const current = await subscription();
    if (!current) return;
    const data = await request<{ removePushSubscription: Result }>(token(), REMOVE_PUSH, {
      endpoint: current.endpoint,
    });
    unwrap(data.removePushSubscription);
    await current.unsubscribe();
  }

  enable.addEventListener('click', () => {
    if (!publicKey) return;
    enable.disabled = true;
    subscribe(publicKey)
      .then(
        () => show(true, 'Notifications are on.'),
        (error) => show(false, `Notifications could not be turned on: ${failure(error)}`),
      )
      .finally(() => (enable.disabled = false));
  });
  disable.addEventListener('click', () => {
    unsubscribe().then(
      () => show(false, 'Notifications are off.'),
      (error) => show(true, `Notifications could not be turned off: ${failure(error)}`),
    );
  });

  return {
    async refresh() {
      show(undefined);
      if (!supported()) return;
      ({ pushPublicKey: publicKey } = await request<{ pushPublicKey: string | null }>(
        token(),
        PUSH_PUBLIC_KEY,
      ));
      if (publicKey) show((await subscription()) !== null);
    },
    hide: () => show(undefined),
  };
}
