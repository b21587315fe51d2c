import type { Knex } from 'knex';
import { TOPICS } from '../model/events/topics.ts';
import type { OutboxRow } from './publish-rows.ts';

/** Rows the relay claimed together, to publish in order and ack as one. */
export interface ClaimedBatch {
  batch: number;
  /** In id order; the rows published so far are removed as they are acknowledged. */
  rows: OutboxRow[];
}

type Row = OutboxRow & { relay_batch: number };

const columns = `o.id, o.event_id, o.topic, o.message_key, o.event_type, o.user_id,
  o.user_seq, o.payload::text AS payload, o.created_at, o.relay_batch`;

/*
 * One statement, so one snapshot and one commit: the renewal of the caller's publishing turn
 * (nothing is claimed without it; its row lock makes claims follow one another), the oldest
 * unclaimed rows up to a count and a number of payload bytes (at least one row), a batch number
 * for them, and for each user's task events the next numbers of
 * that user's sequence, in id order. Rows numbered before the relay numbered them (by writers of
 * an older version) keep their number.
 */
const CLAIM = `
WITH turn AS (
  UPDATE outbox_relay_turn SET expires_at = now() + make_interval(secs => ?)
  WHERE holder = ? AND expires_at >= now()
  RETURNING holder
), picked AS (
  SELECT id, user_id, numbered FROM (
    SELECT id, user_id, numbered, sum(bytes) OVER (ORDER BY id) AS upto,
      row_number() OVER (ORDER BY id) AS nth
    FROM (
      SELECT id, user_id, (topic = ? AND user_seq IS NULL) AS numbered,
        coalesce(payload_bytes, pg_column_size(payload)) AS bytes
      FROM outbox WHERE relay_batch IS NULL AND EXISTS (SELECT 1 FROM turn) ORDER BY id LIMIT ?
    ) oldest
  ) bounded WHERE nth = 1 OR upto <= ?
), batch AS (
  INSERT INTO outbox_batches (claimed_at) SELECT now() WHERE EXISTS (SELECT 1 FROM picked)
  RETURNING batch
), ranked AS (
  SELECT id, user_id, numbered,
    row_number() OVER (PARTITION BY user_id, numbered ORDER BY id) AS rank
  FROM picked
), counts AS (
  SELECT user_id, count(*) AS n FROM ranked WHERE numbered GROUP BY user_id
), bumped AS (
  INSERT INTO user_event_sequences AS s (user_id, last_seq)
  SELECT user_id, n FROM counts
  ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + excluded.last_seq
  RETURNING s.user_id, s.last_seq
)
UPDATE outbox o
SET relay_batch = (SELECT batch FROM batch),
  user_seq = CASE WHEN r.numbered THEN b.last_seq - c.n + r.rank ELSE o.user_seq END
FROM ranked r
LEFT JOIN counts c ON r.numbered AND c.user_id = r.user_id
LEFT JOIN bumped b ON r.numbered AND b.user_id = r.user_id
WHERE o.id = r.id AND o.relay_batch IS NULL
RETURNING ${columns}`;

const UNACKED = `
SELECT ${columns} FROM outbox o
WHERE o.relay_batch IN (SELECT batch FROM outbox_batches WHERE acked_at IS NULL)
ORDER BY o.relay_batch, o.id`;

const byId = (a: Row, b: Row) => a.id - b.id;

/** Whose publishing turn a claim renews (see publish-turn.ts). */
export interface TurnHolder {
  holder: string;
  ttlMs: number;
}

/** How much one claim may take: rows, and bytes of their payloads as the relay reads them. */
export interface ClaimBounds {
  rows: number;
  /** The oldest row is claimed even when it alone is larger. */
  payloadBytes: number;
}

/**
 * Claims the oldest unclaimed rows, within `bounds`, as a new batch, if `turn` holds the
 * publishing turn, and renews it; undefined when there was nothing to claim or the turn is
 * someone else's.
 */
export async function claimBatch(
  knex: Knex,
  turn: TurnHolder,
  bounds: ClaimBounds,
): Promise<ClaimedBatch | undefined> {
  const { rows } = await knex.raw<{ rows: Row[] }>(CLAIM, [
    turn.ttlMs / 1000,
    turn.holder,
    TOPICS.taskEvents.name,
    bounds.rows,
    bounds.payloadBytes,
  ]);
  if (rows.length === 0) return undefined;
  return { batch: rows[0]!.relay_batch, rows: rows.sort(byId) };
}

/**
 * The batches claimed but never acknowledged, oldest first: what a relay that died had in hand.
 * The relay taking over publishes them again before claiming anything new.
 */
export async function unackedBatches(knex: Knex): Promise<ClaimedBatch[]> {
  const { rows } = await knex.raw<{ rows: Row[] }>(UNACKED);
  const batches = new Map<number, OutboxRow[]>();
  for (const row of rows) {
    const list = batches.get(row.relay_batch) ?? [];
    list.push(row);
    batches.set(row.relay_batch, list);
  }
  return [...batches].map(([batch, list]) => ({ batch, rows: list }));
}
