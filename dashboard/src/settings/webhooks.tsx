import { useEffect, useRef, useState } from 'preact/hooks';
import { unwrap } from '../api/graphql.ts';
import { failure } from '../failure.ts';
import { useSession } from '../session.ts';
import { DeliveryLog } from './delivery-log.tsx';
import {
  channelHealth,
  CREATE_WEBHOOK,
  DELETE_WEBHOOK,
  EVENT_TYPES,
  moment,
  ROTATE_SECRET,
  UPDATE_WEBHOOK,
  type Result,
  type WebhookChannel,
} from './settings-api.ts';

interface Secret {
  url: string;
  secret: string;
}

/**
 * The user's signed webhooks: create one (URL, event types, description), and for each: edit it,
 * enable or disable it, rotate its secret, delete it (after a confirmation) and open its delivery
 * log. A new
 * signing secret is shown once, right after create or rotate, with a copy button.
 */
export function Webhooks({
  webhooks,
  onChange,
}: {
  webhooks: WebhookChannel[];
  onChange(): Promise<void>;
}) {
  const [secret, setSecret] = useState<Secret | null>(null);
  const [status, setStatus] = useState('');

  const done = async (message: string, shown: Secret | null = null) => {
    await onChange();
    setSecret(shown);
    setStatus(message);
  };

  return (
    <section aria-labelledby="webhooks-heading" class="settings-section">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p class="muted">
        Signed HTTP POSTs (Standard Webhooks) to your own server when a reminder is due or a task
        changes.
      </p>
      <p role="status">{status}</p>
      {secret && <SecretPanel shown={secret} onClose={() => setSecret(null)} />}
      {webhooks.length === 0 ? (
        <p>No webhooks yet.</p>
      ) : (
        <ul class="plain channel-list" aria-label="Your webhooks">
          {webhooks.map((webhook) => (
            <WebhookItem key={webhook.id} webhook={webhook} onDone={done} />
          ))}
        </ul>
      )}
      <CreateWebhook onCreated={(shown) => done(`Created the webhook for ${shown.url}.`, shown)} />
    </section>
  );
}

function SecretPanel({ shown, onClose }: { shown: Secret; onClose(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => heading.current?.focus(), [shown]);
  const copy = () =>
    navigator.clipboard.writeText(shown.secret).then(
      () => setCopied('Copied to the clipboard.'),
      (problem) => setCopied(`Could not copy: ${failure(problem)}; select the secret and copy it.`),
    );
  return (
    <div class="secret" role="region" aria-labelledby="secret-heading">
      <h3 id="secret-heading" tabIndex={-1} ref={heading}>
        Signing secret for {shown.url}
      </h3>
      <p>
        <strong>Shown only now.</strong> Store it where your server verifies the webhook-signature
        header; it cannot be shown again (rotate the secret to get a new one).
      </p>
      <div class="row">
        <code data-testid="webhook-secret" class="secret-value">
          {shown.secret}
        </code>
        <button type="button" onClick={() => void copy()}>
          Copy secret
        </button>
        <button type="button" class="quiet" onClick={onClose}>
          I stored it
        </button>
      </div>
      <p role="status" class="muted">
        {copied}
      </p>
    </div>
  );
}

function WebhookItem({
  webhook,
  onDone,
}: {
  webhook: WebhookChannel;
  onDone(message: string, secret?: Secret | null): Promise<void>;
}) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const [editing, setEditing] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (problem) {
      setError(failure(problem));
    } finally {
      setBusy(false);
    }
  };
  const toggle = () =>
    run(async () => {
      const data = await api<{ updateWebhook: Result }>(UPDATE_WEBHOOK, {
        id: webhook.id,
        input: { enabled: !webhook.enabled },
      });
      unwrap(data.updateWebhook);
      await onDone(`${webhook.enabled ? 'Disabled' : 'Enabled'} the webhook for ${webhook.url}.`);
    });
  const rotate = () =>
    run(async () => {
      const data = await api<{ rotateWebhookSecret: Result<{ secret: string }> }>(ROTATE_SECRET, {
        id: webhook.id,
      });
      const { secret } = unwrap(data.rotateWebhookSecret);
      await onDone(
        `Rotated the secret of the webhook for ${webhook.url}; the old one no longer works.`,
        {
          url: webhook.url,
          secret: secret!,
        },
      );
    });
  const remove = () =>
    run(async () => {
      const data = await api<{ deleteWebhook: Result }>(DELETE_WEBHOOK, { id: webhook.id });
      unwrap(data.deleteWebhook);
      await onDone(`Deleted the webhook for ${webhook.url}.`);
    });

  const save = async ({ url, description, eventTypes }: WebhookValues) => {
    const data = await api<{ updateWebhook: Result }>(UPDATE_WEBHOOK, {
      id: webhook.id,
      input: { url, eventTypes, description: description || null },
    });
    unwrap(data.updateWebhook);
    setEditing(false);
    await onDone(`Saved the webhook for ${url}.`);
    return false;
  };

  const health = channelHealth(webhook);
  const hidden = <span class="visually-hidden"> the webhook for {webhook.url}</span>;
  const logId = `webhook-log-${webhook.id}`;
  return (
    <li class="channel" data-testid="webhook" aria-label={`Webhook ${webhook.url}`}>
      <p class="channel-title">
        <strong class="url">{webhook.url}</strong>{' '}
        <span class={webhook.enabled ? 'badge ok' : 'badge off'}>
          {webhook.enabled ? 'Enabled' : 'Disabled'}
        </span>
      </p>
      {webhook.description && <p>{webhook.description}</p>}
      <p class="muted">
        Events: {webhook.eventTypes.join(', ')}
        {webhook.lastSuccessAt && ` · last delivered ${moment(webhook.lastSuccessAt)}`}
      </p>
      {health && <p class="channel-health">{health}</p>}
      <div class="row">
        <button type="button" class="quiet" disabled={busy} onClick={() => void toggle()}>
          {webhook.enabled ? 'Disable' : 'Enable'}
          {hidden}
        </button>
        <button
          type="button"
          class="quiet"
          aria-expanded={editing}
          disabled={busy}
          onClick={() => setEditing(!editing)}
        >
          Edit{hidden}
        </button>
        <button type="button" class="quiet" disabled={busy} onClick={() => void rotate()}>
          Rotate secret<span class="visually-hidden"> of the webhook for {webhook.url}</span>
        </button>
        <button
          type="button"
          class="quiet"
          aria-expanded={showLog}
          aria-controls={logId}
          onClick={() => setShowLog(!showLog)}
        >
          Delivery log<span class="visually-hidden"> of {webhook.url}</span>
        </button>
        {!confirming && (
          <button
            type="button"
            class="danger"
            ref={deleteButton}
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            Delete{hidden}
          </button>
        )}
      </div>
      {confirming && (
        <div class="confirm row" role="group" aria-label={`Delete the webhook for ${webhook.url}?`}>
          <p>Delete this webhook and its delivery log? This cannot be undone.</p>
          <button
            type="button"
            class="danger"
            ref={confirmButton}
            disabled={busy}
            onClick={() => void remove()}
          >
            Yes, delete{hidden}
          </button>
          <button
            type="button"
            class="quiet"
            onClick={() => {
              setConfirming(false);
              requestAnimationFrame(() => deleteButton.current?.focus());
            }}
          >
            Keep it
          </button>
        </div>
      )}
      {editing && (
        <WebhookForm
          heading={`Edit the webhook for ${webhook.url}`}
          submitLabel="Save webhook"
          failedPrefix="The webhook was not saved"
          initial={{
            url: webhook.url,
            description: webhook.description ?? '',
            eventTypes: webhook.eventTypes,
          }}
          onSubmit={save}
          onCancel={() => setEditing(false)}
        />
      )}
      <p class="error" role="alert">
        {error}
      </p>
      <div id={logId}>{showLog && <DeliveryLog channelId={webhook.id} label={webhook.url} />}</div>
    </li>
  );
}

/** What a webhook form edits. */
interface WebhookValues {
  url: string;
  description: string;
  eventTypes: string[];
}

function CreateWebhook({ onCreated }: { onCreated(secret: Secret): Promise<void> }) {
  const { api } = useSession();
  return (
    <WebhookForm
      heading="New webhook"
      submitLabel="Create webhook"
      failedPrefix="The webhook was not created"
      initial={{ url: '', description: '', eventTypes: ['reminder.due'] }}
      onSubmit={async ({ url, description, eventTypes }) => {
        const data = await api<{
          createWebhook: Result<{ secret: string; webhook: WebhookChannel }>;
        }>(CREATE_WEBHOOK, {
          input: { url, eventTypes, description: description || null },
        });
        const created = unwrap(data.createWebhook);
        await onCreated({ url: created.webhook!.url, secret: created.secret! });
        return true;
      }}
    />
  );
}

/**
 * The fields of a webhook (URL, description, event types) for creating one or changing one; a
 * create form empties itself after success, an edit form is closed by its owner.
 */
function WebhookForm({
  heading,
  submitLabel,
  failedPrefix,
  initial,
  onSubmit,
  onCancel,
}: {
  heading: string;
  submitLabel: string;
  failedPrefix: string;
  initial: WebhookValues;
  /** Resolves true when the form should start again from `initial`. */
  onSubmit(values: WebhookValues): Promise<boolean>;
  onCancel?(): void;
}) {
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description);
  const [events, setEvents] = useState<string[]>(initial.eventTypes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const headingId = useRef(`webhook-form-${Math.random().toString(36).slice(2)}`).current;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const reset = await onSubmit({
        url: url.trim(),
        description: description.trim(),
        eventTypes: events,
      });
      if (reset) {
        setUrl(initial.url);
        setDescription(initial.description);
        setEvents(initial.eventTypes);
      }
    } catch (problem) {
      setError(`${failedPrefix}: ${failure(problem)}`);
    } finally {
      setBusy(false);
    }
  };
  const check = (type: string, on: boolean) =>
    setEvents((current) =>
      on
        ? EVENT_TYPES.filter((t) => t === type || current.includes(t))
        : current.filter((t) => t !== type),
    );

  return (
    <form class="create-webhook" aria-labelledby={headingId} onSubmit={(e) => void submit(e)}>
      <h3 id={headingId}>{heading}</h3>
      <div class="row">
        <label class="grow">
          URL
          <input
            type="url"
            required
            placeholder="https://example.com/hooks/todo"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <label class="grow">
          Description (optional)
          <input
            maxLength={200}
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
      </div>
      <fieldset>
        <legend>Events</legend>
        <div class="checks">
          {EVENT_TYPES.map((type) => (
            <label key={type} class="check">
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(e) => check(type, e.currentTarget.checked)}
              />
              {type}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="row">
        <button type="submit" disabled={busy || events.length === 0}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {events.length === 0 && <p class="muted">Choose at least one event.</p>}
      <p class="error" role="alert">
        {error}
      </p>
    </form>
  );
}
