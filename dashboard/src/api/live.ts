import { createClient, type Client } from 'graphql-ws';

/** A change to one of the user's tasks, as `taskEvents` sends it. */
export interface TaskEvent {
  /** Pass as `after` to resume after this event. */
  id: string;
  type: 'CREATED' | 'UPDATED' | 'COMPLETED' | 'REOPENED' | 'DELETED';
  occurredAt: string;
  task: { id: string; title: string };
}

/** A reminder that fired, as `reminders` sends it. */
export interface LiveReminder {
  id: string;
  remindAt: string;
  late: boolean;
  task: { id: string; title: string; dueAt: string | null; timeZone: string };
}

/** How the live connection stands, for the header. */
export type LiveStatus = 'connecting…' | 'live' | 'reconnecting…' | `stopped: ${string}`;

const TASK_EVENTS = `subscription($after: ID) {
  taskEvents(after: $after) { id type occurredAt task { id title } } }`;
const REMINDERS = `subscription {
  reminders { id remindAt late task { id title dueAt timeZone } } }`;

type Listener<T> = (value: T) => void;

/**
 * The page's one WebSocket to `/graphql` (graphql-ws): the user's task events and reminders.
 * After a reconnect (the server restarted, the network dropped) the task events resume with
 * `after:` the last one received, so nothing is missed and no reload is needed; when the server
 * says the page fell too far behind (RESYNC_REQUIRED), listeners are told to reload instead.
 */
export class Live {
  private readonly client: Client;
  private readonly taskListeners = new Set<Listener<TaskEvent | 'resync'>>();
  private readonly reminderListeners = new Set<Listener<LiveReminder>>();
  private readonly statusListeners = new Set<Listener<LiveStatus>>();
  private lastEventId: string | null = null;
  private stopTaskEvents: (() => void) | undefined;
  private current: LiveStatus = 'connecting…';

  constructor(token: string) {
    this.client = createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      on: {
        connected: () => {
          this.setStatus('live');
          this.subscribeTaskEvents();
        },
        closed: () => {
          // graphql-ws would subscribe again with the first `after`; resume from the last instead.
          this.stopTaskEvents?.();
          this.stopTaskEvents = undefined;
          if (!this.current.startsWith('stopped')) this.setStatus('reconnecting…');
        },
      },
    });
    this.client.subscribe<{ reminders: LiveReminder }>(
      { query: REMINDERS },
      {
        next: ({ data }) => data && this.reminderListeners.forEach((l) => l(data.reminders)),
        error: (error) => this.setStatus(`stopped: ${messageOf(error)}`),
        complete: () => undefined,
      },
    );
  }

  get status(): LiveStatus {
    return this.current;
  }

  /** Calls `listener` with each task event, or 'resync' when the page must reload its lists. */
  onTaskEvent(listener: Listener<TaskEvent | 'resync'>): () => void {
    this.taskListeners.add(listener);
    return () => this.taskListeners.delete(listener);
  }

  onReminder(listener: Listener<LiveReminder>): () => void {
    this.reminderListeners.add(listener);
    return () => this.reminderListeners.delete(listener);
  }

  onStatus(listener: Listener<LiveStatus>): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  dispose(): void {
    this.stopTaskEvents?.();
    void this.client.dispose();
  }

  private setStatus(status: LiveStatus) {
    this.current = status;
    this.statusListeners.forEach((listener) => listener(status));
  }

  private subscribeTaskEvents() {
    this.stopTaskEvents?.();
    this.stopTaskEvents = this.client.subscribe<{ taskEvents: TaskEvent }>(
      { query: TASK_EVENTS, variables: { after: this.lastEventId } },
      {
        next: ({ data }) => {
          if (!data) return;
          this.lastEventId = data.taskEvents.id;
          this.taskListeners.forEach((listener) => listener(data.taskEvents));
        },
        error: (error) => {
          const resume = resyncAfter(error);
          if (resume === undefined) return this.setStatus(`stopped: ${messageOf(error)}`);
          this.lastEventId = resume;
          this.taskListeners.forEach((listener) => listener('resync'));
          this.subscribeTaskEvents();
        },
        complete: () => undefined,
      },
    );
  }
}

const messageOf = (error: unknown) =>
  Array.isArray(error)
    ? error.map((e: { message?: string }) => e.message).join('; ')
    : error instanceof Error
      ? error.message
      : error instanceof CloseEvent
        ? `connection closed (${error.code}${error.reason ? `: ${error.reason}` : ''})`
        : String(error);

/** The `after` a RESYNC_REQUIRED error says to resume from; undefined for other errors. */
function resyncAfter(error: unknown): string | null | undefined {
  if (!Array.isArray(error)) return undefined;
  const resync = error.find(
    (e: { extensions?: { code?: string } }) => e.extensions?.code === 'RESYNC_REQUIRED',
  ) as { extensions: { after?: string | null } } | undefined;
  return resync ? (resync.extensions.after ?? null) : undefined;
}
