import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/graphql.ts';
import { failure } from '../failure.ts';
import { useSession } from '../session.ts';
import {
  channelHealth,
  PUSH_PUBLIC_KEY,
  REGISTER_PUSH,
  REMOVE_PUSH,
  type PushChannel,
  type Result,
} from './settings-api.ts';

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

const currentSubscription = async () =>
  (await navigator.serviceWorker.getRegistration('/'))?.pushManager.getSubscription() ?? null;

/**
 * Push notifications for this browser: "Enable notifications" asks for permission, registers the
 * service worker (`/sw.js`), subscribes with the server's VAPID key and registers the
 * subscription with the API; "Turn off notifications" removes it from the API and unsubscribes.
 * Hidden when the server offers no Web Push. Also lists the user's other push subscriptions that
 * were disabled, with the reason.
 */
export function PushSettings({
  channels,
  onChange,
}: {
  channels: PushChannel[];
  onChange(): void;
}) {
  const { api } = useSession();
  const [publicKey, setPublicKey] = useState<string | null | undefined>(undefined);
  const [subscribed, setSubscribed] = useState<boolean | undefined>(undefined);
  const [endpoint, setEndpoint] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const { pushPublicKey } = await api<{ pushPublicKey: string | null }>(PUSH_PUBLIC_KEY);
        if (!live) return;
        setPublicKey(pushPublicKey);
        if (!pushPublicKey || !supported()) return;
        const current = await currentSubscription();
        if (!live) return;
        setSubscribed(current !== null);
        setEndpoint(current?.endpoint ?? '');
      } catch (problem) {
        if (live) setError(`Could not read the notification settings: ${failure(problem)}`);
      }
    })();
    return () => {
      live = false;
    };
  }, [api]);

  if (publicKey === null) return null;

  const subscribe = async (key: string) => {
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
      const data = await api<{ registerPushSubscription: Result }>(REGISTER_PUSH, {
        input: { endpoint: made.endpoint, p256dh: keys?.p256dh, auth: keys?.auth },
      });
      unwrap(data.registerPushSubscription);
    } catch (problem) {
      await made.unsubscribe();
      throw problem;
    }
    return made.endpoint;
  };

  const unsubscribe = async () => {
    const current = await currentSubscription();
    if (!current) return;
    const data = await api<{ removePushSubscription: Result }>(REMOVE_PUSH, {
      endpoint: current.endpoint,
    });
    unwrap(data.removePushSubscription);
    await current.unsubscribe();
  };

  const enable = () => {
    if (!publicKey) return;
    setBusy(true);
    setError('');
    subscribe(publicKey)
      .then(
        (made) => {
          setSubscribed(true);
          setEndpoint(made);
          setStatus('Notifications are on.');
          onChange();
        },
        (problem) => {
          setStatus('');
          setError(`Notifications could not be turned on: ${failure(problem)}`);
        },
      )
      .finally(() => setBusy(false));
  };
  const disable = () => {
    setBusy(true);
    setError('');
    unsubscribe()
      .then(
        () => {
          setSubscribed(false);
          setEndpoint('');
          setStatus('Notifications are off.');
          onChange();
        },
        (problem) => {
          setStatus('');
          setError(`Notifications could not be turned off: ${failure(problem)}`);
        },
      )
      .finally(() => setBusy(false));
  };

  const mine = channels.find((channel) => channel.endpoint === endpoint);
  const troubled = channels.filter((channel) => channelHealth(channel));
  return (
    <section aria-labelledby="push-heading" class="settings-section">
      <h2 id="push-heading">Notifications in this browser</h2>
      <p class="muted">
        Reminders appear as system notifications through this browser, even with no tab open.
      </p>
      {publicKey !== undefined && !supported() && (
        <p>This browser cannot receive push notifications.</p>
      )}
      {subscribed !== undefined && (
        <p>
          In this browser: <strong>{subscribed ? 'on' : 'off'}</strong>
          {mine && !mine.enabled && ` (${channelHealth(mine)})`}
        </p>
      )}
      <div class="row">
        <button type="button" hidden={subscribed !== false} disabled={busy} onClick={enable}>
          Enable notifications
        </button>
        <button
          type="button"
          class="quiet"
          hidden={subscribed !== true}
          disabled={busy}
          onClick={disable}
        >
          Turn off notifications
        </button>
      </div>
      <div data-testid="push-status">
        <p role="status">{status}</p>
        <p class="error" role="alert">
          {error}
        </p>
      </div>
      {troubled.length > 0 && (
        <>
          <h3>Browsers that stopped receiving</h3>
          <ul>
            {troubled.map((channel) => (
              <li key={channel.id}>
                {new URL(channel.endpoint).host}: {channelHealth(channel)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
