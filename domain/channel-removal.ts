import type { ChannelRow } from '../db/channel-rows.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { ChannelKind } from '../model/channels.ts';
import type { Event } from '../model/events/contracts.ts';
import { reportReminderIfFinished } from './delivery-report.ts';
import type { Scope } from './scope.ts';

/**
 * Deletes one of the user's channels (`match` picks it among those of `kind`) with its deliveries
 * and their log, and answers with its row as it was; undefined when there is none. A reminder
 * whose last unfinished delivery goes with it is reported (`reminder.sent`, with the outcomes of
 * its other channels) in the same transaction: otherwise nothing would ever report it.
 */
export async function removeChannel(
  scope: Scope,
  kind: ChannelKind,
  match: Record<string, string> = {},
): Promise<ChannelRow | undefined> {
  return writeTransaction(scope.db, async (trx) => {
    const [channel] = (await trx('notification_channels')
      .where({ ...match, user_id: scope.userId, kind })
      .forUpdate()
      .select('id')) as { id: string }[];
    if (!channel) return undefined;
    const waiting = (await trx('deliveries')
      .where({ channel_id: channel.id, event_type: 'reminder.due' })
      .whereNull('finished_at')
      .select('event_id', 'event')) as { event_id: string; event: Event<'reminder.due'> }[];
    const [row] = (await trx('notification_channels')
      .where({ id: channel.id })
      .delete()
      .returning('*')) as ChannelRow[];
    for (const { event_id: eventId, event } of waiting)
      await reportReminderIfFinished(trx, eventId, event);
    return row;
  });
}
