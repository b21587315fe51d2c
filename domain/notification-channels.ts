import type { Knex } from 'knex';
import { toChannel, type ChannelRow } from '../db/channel-rows.ts';
import type { ChannelKind, NotificationChannel } from '../model/channels.ts';
import { LimitExceededError, NotFoundError } from '../model/errors.ts';
import { fields, parseInput } from '../model/validation.ts';
import type { Scope } from './scope.ts';
import { whereAnyOf } from '../db/any-of.ts';

/** The user's notification channels, oldest first. */
export async function listChannels(scope: Scope): Promise<NotificationChannel[]> {
  const rows: ChannelRow[] = await scope
    .db('notification_channels')
    .where({ user_id: scope.userId })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map(toChannel);
}

/**
 * The user's channels with these ids, in the order of `ids`; an id of no channel of the user
 * (another user's, or one deleted meanwhile) answers a NotFoundError in its place.
 */
export async function findChannelsByIds(
  scope: Scope,
  ids: readonly string[],
): Promise<(NotificationChannel | NotFoundError)[]> {
  const rows: ChannelRow[] = await scope
    .db('notification_channels')
    .where({ user_id: scope.userId })
    .where((q) => whereAnyOf(q, 'id', ids));
  const byId = new Map(rows.map((row) => [row.id, toChannel(row)]));
  return ids.map((id) => byId.get(id) ?? new NotFoundError('NotificationChannel', id));
}

/** Parses a channel id given as `field`, or refuses it as a ValidationError. */
export const channelId = (id: string, field = 'id'): string =>
  parseInput(fields.id('notification channel'), id, field);

/**
 * The user's channel `id` of `kind`, locked for the rest of the transaction; NotFoundError
 * otherwise (another user's channel answers the same as a missing one).
 */
export async function lockChannel(
  trx: Knex,
  userId: string,
  kind: ChannelKind,
  id: string,
): Promise<ChannelRow> {
  const row: ChannelRow | undefined = await trx('notification_channels')
    .where({ user_id: userId, kind, id })
    .forUpdate()
    .first();
  if (!row) throw new NotFoundError('NotificationChannel', id);
  return row;
}

/**
 * Refuses one more channel of `kind` when the user has `max` already. Takes the user's
 * advisory lock for channel counts first, so two concurrent additions cannot both pass.
 */
export async function checkChannelLimit(
  trx: Knex,
  userId: string,
  kind: ChannelKind,
  limit: { name: string; max: number; what: string },
): Promise<void> {
  await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('notification_channels'), hashtext(?))`, [
    userId,
  ]);
  const [counted] = await trx('notification_channels')
    .where({ user_id: userId, kind })
    .count<{ count: string }[]>('* as count');
  if (Number(counted?.count) >= limit.max) {
    throw new LimitExceededError(
      limit.name,
      limit.max,
      `you have ${limit.max} ${limit.what}, the most allowed; remove one before adding another`,
    );
  }
}
