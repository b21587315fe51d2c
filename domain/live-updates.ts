import { userEventsAfter, userSeqOf } from '../outbox/user-events.ts';
import type { Event, EventType } from '../model/events/contracts.ts';
import { taskOfSnapshot } from '../model/events/task-snapshot.ts';
import { callAt } from '../lib/call-at.ts';
import { ResyncRequiredError } from '../model/errors.ts';
import type { Scope } from './scope.ts';
import type { Task } from '../model/task.ts';
import { fields, parseInput } from '../model/validation.ts';

/** The task event types a `taskEvents` subscriber receives. */
export const TASK_EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
] as const satisfies readonly EventType[];
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/** The live channels a user can subscribe to. */
export type LiveChannel = 'taskEvents' | 'reminders';

/** The channel an event is delivered on, or undefined when no subscriber receives it. */
export function channelOf(type: EventType): LiveChannel | undefined {
  if (type === 'reminder.due') return 'reminders';
  return (TASK_EVENT_TYPES as readonly EventType[]).includes(type) ? 'taskEvents' : undefined;
}

/** A live event, with its place in the user's task-event sequence (task events only). */
export interface LiveEvent {
  event: Event;
  seq: number | undefined;
}

/** One subscriber's live events; ends when closed, or when it fell behind (`overflowed`). */
export interface LiveSubscription extends AsyncIterable<LiveEvent> {
  /** Resolves once events from this moment on will reach the subscription. */
  readonly ready: Promise<void>;
  readonly overflowed: boolean;
  close(): void;
}

/** Where live events come from: the server's per-user fan-out of what Kafka delivers. */
export interface LiveSource {
  subscribe(userId: string, channel: LiveChannel): LiveSubscription;
}

/** A change to one of the user's tasks, with the task as the change left it. */
export interface TaskEventUpdate {
  id: string;
  type: TaskEventType;
  occurredAt: Date;
  task: Task;
}

/** A reminder that fired. */
export interface ReminderUpdate {
  id: string;
  task: Task;
  remindAt: Date;
  dueAt: Date | null;
  firedAt: Date;
  late: boolean;
}

/** An item of a live stream: an update, or the reason the stream ends and must be resumed. */
export type LiveItem<T> = T | ResyncRequiredError;

/** How a live stream runs. */
export interface LiveStreamOptions {
  /** The stream ends at this moment (the caller's token expires). */
  endsAt?: Date;
  /** Aborted when the client goes away (an SSE request closes); the subscription is released. */
  signal?: AbortSignal;
}

const REPLAY_PAGE = 500;

/**
 * The update made of each live event, kept while the event is: every subscriber of the user gets
 * the same object, so the server can execute and serialize it once for all of them.
 */
const updates = new WeakMap<Event, TaskEventUpdate | ReminderUpdate | undefined>();
function sharedUpdate<T extends TaskEventUpdate | ReminderUpdate>(
  event: Event,
  make: (event: Event) => T | undefined,
): T | undefined {
  if (!updates.has(event)) updates.set(event, make(event));
  return updates.get(event) as T | undefined;
}

function toTaskEventUpdate(event: Event): TaskEventUpdate | undefined {
  if (channelOf(event.type) !== 'taskEvents') return undefined;
  const { task } = event.payload as { task: Parameters<typeof taskOfSnapshot>[0] };
  return {
    id: event.id,
    type: event.type as TaskEventType,
    occurredAt: new Date(event.occurredAt),
    task: taskOfSnapshot(task, event.userId),
  };
}

function toReminderUpdate(event: Event): ReminderUpdate | undefined {
  if (event.type !== 'reminder.due') return undefined;
  const { payload } = event;
  return {
    id: event.id,
    task: taskOfSnapshot(payload.task, event.userId),
    remindAt: new Date(payload.remindAt),
    dueAt: payload.dueAt === null ? null : new Date(payload.dueAt),
    firedAt: new Date(payload.firedAt),
    late: payload.late,
  };
}

/**
 * Ends `subscription` at `options.endsAt` or when `options.signal` aborts; returns the function
 * that releases it (idempotent).
 */
function guard(subscription: LiveSubscription, options: LiveStreamOptions): () => void {
  let cancelEnd = () => {};
  const release = () => {
    cancelEnd();
    options.signal?.removeEventListener('abort', release);
    subscription.close();
  };
  if (options.endsAt) cancelEnd = callAt(options.endsAt, release);
  if (options.signal?.aborted) release();
  else options.signal?.addEventListener('abort', release, { once: true });
  return release;
}

/**
 * Makes `return()` (the subscriber went away) release the subscription even when the generator
 * never started, as its `finally` would not run then.
 */
function releasingOnReturn<T>(
  generator: AsyncGenerator<T>,
  release: () => void,
): AsyncGenerator<T> {
  const finish = generator.return.bind(generator);
  generator.return = (value) => {
    release();
    return finish(value);
  };
  return generator;
}

const fellBehind = (after: string | null) =>
  new ResyncRequiredError(
    after,
    after
      ? `You fell behind the live events; subscribe again with taskEvents(after: "${after}") to get the rest.`
      : 'You fell behind the live events; reload and subscribe again.',
  );

/**
 * The caller's task events: first those after the event `after` (when given) from the outbox,
 * then live ones, without gaps or repeats between the two. Throws ResyncRequiredError at once
 * when `after` is unknown to the server (another user's, or past the outbox retention).
 */
export async function taskEventUpdates(
  scope: Scope,
  live: LiveSource,
  after: string | null | undefined,
  options: LiveStreamOptions = {},
): Promise<AsyncGenerator<LiveItem<TaskEventUpdate>>> {
  if (after) parseInput(fields.id('task event'), after, 'after');
  // Subscribe before reading the outbox, so nothing committed meanwhile falls between the two.
  const subscription = live.subscribe(scope.userId, 'taskEvents');
  const release = guard(subscription, options);
  let seq: number | undefined;
  try {
    await subscription.ready;
    if (after) seq = await userSeqOf(scope.db, scope.userId, after);
  } catch (error) {
    release();
    throw error;
  }
  if (after && seq === undefined) {
    release();
    throw new ResyncRequiredError(
      null,
      `Event ${after} is unknown here or older than the events kept for resuming; reload your tasks and subscribe without \`after\`.`,
    );
  }

  async function* stream(): AsyncGenerator<LiveItem<TaskEventUpdate>> {
    let last = after ?? null;
    // The last sequence number sent; live events at or before it came through the replay.
    let sent = seq ?? 0;
    try {
      for (let replaying = seq !== undefined; replaying;) {
        let rows;
        try {
          rows = await userEventsAfter(scope.db, scope.userId, sent, REPLAY_PAGE);
        } catch {
          // Said to the client without the database's words (errors here bypass masking).
          yield new ResyncRequiredError(
            last,
            'The missed events could not be read just now; subscribe again with the same `after`.',
          );
          return;
        }
        for (const row of rows) {
          sent = row.seq;
          // A row the event schema refuses is skipped (the reader counted it).
          if (!row.event) continue;
          const update = toTaskEventUpdate(row.event);
          if (!update) continue;
          last = update.id;
          yield update;
        }
        replaying = rows.length === REPLAY_PAGE;
      }
      for await (const { event, seq: eventSeq } of subscription) {
        if (eventSeq !== undefined && eventSeq <= sent) continue;
        if (eventSeq !== undefined) sent = eventSeq;
        const update = sharedUpdate(event, toTaskEventUpdate);
        if (!update) continue;
        last = update.id;
        yield update;
      }
      if (subscription.overflowed) yield fellBehind(last);
    } finally {
      release();
    }
  }
  return releasingOnReturn(stream(), release);
}

/** The caller's reminders as they fire, live. */
export function reminderUpdates(
  scope: Scope,
  live: LiveSource,
  options: LiveStreamOptions = {},
): AsyncGenerator<LiveItem<ReminderUpdate>> {
  const subscription = live.subscribe(scope.userId, 'reminders');
  const release = guard(subscription, options);
  const stream = async function* () {
    try {
      for await (const { event } of subscription) {
        const update = sharedUpdate(event, toReminderUpdate);
        if (update) yield update;
      }
      if (subscription.overflowed) {
        yield new ResyncRequiredError(
          null,
          'You fell behind the live reminders; reload your tasks and subscribe again.',
        );
      }
    } finally {
      release();
    }
  };
  return releasingOnReturn(stream(), release);
}
