import { useState } from 'preact/hooks';
import { unwrap } from '../api/graphql.ts';
import { failure } from '../failure.ts';
import { useSession } from '../session.ts';
import {
  channelHealth,
  CONFIRM_EMAIL,
  REMOVE_EMAIL,
  SET_EMAIL,
  type EmailChannel,
  type Result,
} from './settings-api.ts';

/**
 * Where reminders are mailed: set the address (a code is mailed to it unless it is the verified
 * sign-in address), confirm it with the code, or remove it.
 */
export function EmailSettings({
  channel,
  onChange,
}: {
  channel: EmailChannel | undefined;
  onChange(): Promise<void>;
}) {
  const { api } = useSession();
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [errors, setErrors] = useState<{ address?: string; code?: string; remove?: string }>({});

  const run = async (where: keyof typeof errors, action: () => Promise<string>) => {
    setBusy(true);
    setErrors({});
    setStatus('');
    try {
      const message = await action();
      await onChange();
      setStatus(message);
    } catch (problem) {
      setErrors({ [where]: failure(problem) });
    } finally {
      setBusy(false);
    }
  };

  const save = (event: Event) => {
    event.preventDefault();
    void run('address', async () => {
      const data = await api<{ setEmailChannel: Result<{ channel: { verified: boolean } }> }>(
        SET_EMAIL,
        { address: address.trim() },
      );
      const { channel: saved } = unwrap(data.setEmailChannel);
      setAddress('');
      return saved?.verified
        ? `Reminders are mailed to ${address.trim()}.`
        : `A confirmation code was mailed to ${address.trim()}; enter it below.`;
    });
  };
  const confirm = (event: Event) => {
    event.preventDefault();
    void run('code', async () => {
      const data = await api<{ confirmEmailChannel: Result }>(CONFIRM_EMAIL, { code: code.trim() });
      unwrap(data.confirmEmailChannel);
      setCode('');
      return 'The address is confirmed; reminders are mailed to it.';
    });
  };
  const remove = () =>
    void run('remove', async () => {
      const data = await api<{ removeEmailChannel: Result }>(REMOVE_EMAIL);
      unwrap(data.removeEmailChannel);
      return 'Reminders are no longer mailed.';
    });

  const health = channel && channelHealth(channel);
  return (
    <section aria-labelledby="email-heading" class="settings-section">
      <h2 id="email-heading">Email</h2>
      {channel ? (
        <div class="channel" data-testid="email-channel">
          <p>
            Reminders go to <strong>{channel.address}</strong>{' '}
            <span class={channel.verified ? 'badge ok' : 'badge off'}>
              {channel.verified ? 'Verified' : 'Not confirmed yet'}
            </span>
          </p>
          {health && <p class="channel-health">{health}</p>}
          {!channel.verified && (
            <form class="row" onSubmit={confirm}>
              <label>
                Confirmation code
                <input
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  pattern="[0-9]{6}"
                  title="The 6-digit code from the email"
                  value={code}
                  onInput={(e) => setCode(e.currentTarget.value)}
                  aria-describedby="code-error"
                />
              </label>
              <button type="submit" disabled={busy}>
                Confirm address
              </button>
            </form>
          )}
          <p id="code-error" class="error" role="alert">
            {errors.code}
          </p>
          <button type="button" class="danger" disabled={busy} onClick={remove}>
            Remove email address
          </button>
          <p class="error" role="alert">
            {errors.remove}
          </p>
        </div>
      ) : (
        <p>Reminders are not mailed.</p>
      )}
      <form class="row" onSubmit={save}>
        <label class="grow">
          {channel ? 'New email address' : 'Email address'}
          <input
            type="email"
            required
            autoComplete="email"
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
            aria-describedby="address-error"
          />
        </label>
        <button type="submit" disabled={busy}>
          Save address
        </button>
      </form>
      <p id="address-error" class="error" role="alert">
        {errors.address}
      </p>
      <p role="status">{status}</p>
    </section>
  );
}
