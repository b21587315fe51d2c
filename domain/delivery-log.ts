import { z } from 'zod';
import { writeTransaction } from '../db/write-transaction.ts';
import { FINAL_STATUSES, type AttemptOutcome, type DeliveryStatus } from '../model/channels.ts';
import { NotFoundError, ValidationError } from '../model/errors.ts';
import { LIMITS } from '../model/limits.ts';
import { fields, parseInput } from '../model/validation.ts';
import type { Scope } from './scope.ts';

/** One try of a delivery, as the log shows it. */
export interface DeliveryAttempt {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: AttemptOutcome;
}

/** One event sent (or to be sent) to one channel, with its tries. */
export interface Delivery {
  id: string;
  channelId: string;
  eventId: string;
  eventType: string;
  taskId: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: Date;
  finishedAt: Date | null;
  attemptLog: DeliveryAttempt[];
}

/** A page of the delivery log, newest first. */
export interface DeliveryPage {
  items: { node: Delivery; cursor: string }[];
  hasNextPage: boolean;
  totalCount(): Promise<number>;
}

interface DeliveryRow {
  id: string;
  channel_id: string;
  event_id: string;
  event_type: string;
  task_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: Date;
  finished_at: Date | null;
  /** created_at as PostgreSQL prints it, so a cursor compares exactly (µs). */
  sort_key: string;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: AttemptOutcome;
}

const COLUMNS = [
  'id',
  'channel_id',
  'event_id',
  'event_type',
  'task_id',
  'status',
  'attempts',
  'last_status_code',
  'last_error',
  'last_duration_ms',
  'created_at',
  'finished_at',
];

const pageInput = z.object({
  first: fields.pageSize.nullish(),
  after: fields.cursor.nullish(),
  channelId: fields.id('notification channel').nullish(),
});

const invalidCursor = () =>
  new ValidationError(
    'after',
    'after is not a cursor of the delivery log; pass an endCursor or edge cursor from deliveries',
  );

const encodeCursor = (row: DeliveryRow) =>
  Buffer.from(JSON.stringify(['delivery', row.sort_key, row.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [kind, createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      kind === 'delivery' &&
      typeof createdAt === 'string' &&
      typeof id === 'string' &&
      z.uuid().safeParse(id).success
    ) {
      return { createdAt, id };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

const toAttempt = (row: AttemptRow): DeliveryAttempt => ({
  attempt: row.attempt,
  startedAt: row.started_at,
  durationMs: row.duration_ms,
  statusCode: row.status_code,
  error: row.error,
  outcome: row.outcome,
});

const toDelivery = (row: DeliveryRow, attemptLog: DeliveryAttempt[]): Delivery => ({
  id: row.id,
  channelId: row.channel_id,
  eventId: row.event_id,
  eventType: row.event_type,
  taskId: row.task_id,
  status: row.status,
  attempts: row.attempts,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  lastDurationMs: row.last_duration_ms,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
  attemptLog,
});

/**
 * The user's deliveries, newest first, optionally of one channel; each with its attempt log,
 * read for the whole page in one more statement.
 */
export async function listDeliveries(
  scope: Scope,
  raw: { first?: number | null; after?: string | null; channelId?: string | null },
): Promise<DeliveryPage> {
  const input = parseInput(pageInput, raw);
  const first = input.first ?? LIMITS.pageSizeDefault;
  const mine = () => {
    const query = scope.db('deliveries').where({ user_id: scope.userId });
    if (input.channelId) query.where({ channel_id: input.channelId });
    return query;
  };
  const query = mine()
    .select(...COLUMNS, scope.db.raw('created_at::text AS sort_key'))
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(first + 1);
  if (input.after) {
    const cursor = decodeCursor(input.after);
    query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [cursor.createdAt, cursor.id]);
  }
  let rows: DeliveryRow[];
  try {
    rows = await query;
  } catch (error) {
    // A cursor value PostgreSQL cannot read is a data exception (class 22).
    if (input.after && String((error as { code?: string }).code).startsWith('22')) {
      throw invalidCursor();
    }
    throw error;
  }
  const page = rows.slice(0, first);
  const attempts: AttemptRow[] = page.length
    ? await scope
        .db('delivery_attempts')
        .whereIn(
          'delivery_id',
          page.map((row) => row.id),
        )
        .orderBy([{ column: 'delivery_id' }, { column: 'attempt' }])
    : [];
  const logs = new Map<string, DeliveryAttempt[]>();
  for (const row of attempts) {
    const log = logs.get(row.delivery_id) ?? [];
    log.push(toAttempt(row));
    logs.set(row.delivery_id, log);
  }
  return {
    items: page.map((row) => ({
      node: toDelivery(row, logs.get(row.id) ?? []),
      cursor: encodeCursor(row),
    })),
    hasNextPage: rows.length > first,
    totalCount: async () => {
      const [counted] = await mine().count<{ count: string }[]>('* as count');
      return Number(counted?.count ?? 0);
    },
  };
}

/**
 * Sends a finished delivery (delivered, failed or cancelled) again: it goes back to `pending`,
 * due now, for the delivery service to take; its attempt log continues. Its channel must be
 * enabled. A delivery still pending or being sent is refused: it is tried again on its own.
 */
export async function replayDelivery(scope: Scope, id: string): Promise<Delivery> {
  parseInput(fields.id('delivery'), id, 'id');
  return writeTransaction(scope.db, async (trx) => {
    const found: (DeliveryRow & { enabled: boolean; disabled_reason: string | null }) | undefined =
      await trx('deliveries')
        .join('notification_channels', 'notification_channels.id', 'deliveries.channel_id')
        .where({ 'deliveries.id': id, 'deliveries.user_id': scope.userId })
        .forUpdate('deliveries')
        .first(
          ...COLUMNS.map((column) => `deliveries.${column}`),
          'notification_channels.enabled',
          'notification_channels.disabled_reason',
        );
    if (!found) throw new NotFoundError('Delivery', id);
    if (!FINAL_STATUSES.includes(found.status)) {
      throw new ValidationError(
        'id',
        `delivery ${id} is still in progress (${found.status}); it is tried again on its own — ` +
          'replay it once it has finished',
      );
    }
    if (!found.enabled) {
      throw new ValidationError(
        'id',
        `the channel of delivery ${id} is disabled (${found.disabled_reason}); enable it again first ` +
          '(updateWebhook with enabled: true, registerPushSubscription again, or setEmailChannel again)',
      );
    }
    const [row]: DeliveryRow[] = await trx('deliveries')
      .where({ id })
      .update({ status: 'pending', next_attempt_at: trx.fn.now(), finished_at: null })
      .returning([...COLUMNS, trx.raw('created_at::text AS sort_key')]);
    const attempts: AttemptRow[] = await trx('delivery_attempts')
      .where({ delivery_id: id })
      .orderBy('attempt');
    return toDelivery(row!, attempts.map(toAttempt));
  });
}
