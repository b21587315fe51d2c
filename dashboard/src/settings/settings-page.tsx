import { useCallback, useEffect, useState } from 'preact/hooks';
import { failure } from '../failure.ts';
import { useSession } from '../session.ts';
import { EmailSettings } from './email-settings.tsx';
import { PushSettings } from './push-settings.tsx';
import {
  CHANNELS,
  type Channel,
  type EmailChannel,
  type PushChannel,
  type WebhookChannel,
} from './settings-api.ts';
import { Webhooks } from './webhooks.tsx';
import './settings.css';

/**
 * Settings: who is signed in (and Sign out), and the notification channels from
 * `notificationChannels`: push for this browser, webhooks with their delivery log, email.
 */
export function SettingsPage() {
  const { api, userId, signOut } = useSession();
  const [channels, setChannels] = useState<Channel[] | undefined>(undefined);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const data = await api<{ notificationChannels: Channel[] }>(CHANNELS);
      setChannels(data.notificationChannels);
      setError('');
    } catch (problem) {
      setError(`Could not load your notification channels: ${failure(problem)}`);
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const of = <K extends Channel['kind']>(kind: K) =>
    (channels ?? []).filter((c): c is Extract<Channel, { kind: K }> => c.kind === kind);

  return (
    <section aria-labelledby="settings-heading" class="settings">
      <h2 id="settings-heading" class="page-heading">
        Settings
      </h2>
      <section aria-labelledby="account-heading" class="settings-section">
        <h2 id="account-heading">Account</h2>
        <p>
          Signed in as <code data-testid="user-id">{userId}</code>
        </p>
        <button type="button" class="quiet" onClick={signOut}>
          Sign out
        </button>
      </section>
      <p class="error" role="alert">
        {error}
      </p>
      {channels === undefined ? (
        !error && <p role="status">Loading your notification channels…</p>
      ) : (
        <>
          <PushSettings channels={of('PUSH') as PushChannel[]} onChange={() => void load()} />
          <Webhooks webhooks={of('WEBHOOK') as WebhookChannel[]} onChange={load} />
          <EmailSettings channel={of('EMAIL')[0] as EmailChannel | undefined} onChange={load} />
        </>
      )}
    </section>
  );
}
