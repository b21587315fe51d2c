import type { FiredReminder } from './ledger.ts';
import type { Session } from './subscribers.ts';

/**
 * How long after a subscriber's acknowledgement its subscription surely runs on the server, and
 * how long after the broker took a reminder it surely reached the API's live feed.
 */
export const SUBSCRIBED_AFTER_MS = 1_000;
export const FED_WITHIN_MS = 5_000;

/** How the reminders reached the subscribers. */
export interface Deliveries {
  /** Pairs (subscriber connection, reminder of its user) where the connection was open throughout. */
  expected: number;
  /** Of those: received exactly once, told to reload instead, missed silently. */
  received: number;
  toldToReload: number;
  missed: number;
  /** Reminders a connection received more than once (counted per connection), of any session. */
  duplicated: number;
  /** Reminders received in total, and connections made. */
  receivedInTotal: number;
  sessions: number;
  /** Some missed pairs, for the failure message. */
  examples: string[];
}

/**
 * Judges the deliveries: a connection must get a reminder of its user exactly once (or be told
 * to reload) when it was subscribed before the reminder fired and still open well after the
 * broker took it; `endedBy` stands for "still open" (the end of the run). No connection may get
 * any reminder twice.
 */
export function judgeDeliveries(
  reminders: FiredReminder[],
  sessions: Session[],
  endedBy: number,
): Deliveries {
  const result: Deliveries = {
    expected: 0,
    received: 0,
    toldToReload: 0,
    missed: 0,
    duplicated: 0,
    receivedInTotal: 0,
    sessions: sessions.length,
    examples: [],
  };
  for (const session of sessions) {
    const counts = new Map<string, number>();
    for (const id of session.reminderIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    result.receivedInTotal += session.reminderIds.length;
    result.duplicated += [...counts.values()].filter((n) => n > 1).length;
    const end = session.endedAt ?? endedBy;
    for (const reminder of reminders) {
      if (reminder.userId !== session.userId) continue;
      if (session.connectedAt + SUBSCRIBED_AFTER_MS > reminder.firedAt) continue;
      if (reminder.ackedAt === undefined || end < reminder.ackedAt + FED_WITHIN_MS) continue;
      result.expected++;
      if (counts.get(reminder.id) === 1) result.received++;
      else if (session.toldToReload) result.toldToReload++;
      else {
        result.missed++;
        if (result.examples.length < 5) {
          result.examples.push(
            `subscriber ${session.subscriber} (connected ${new Date(session.connectedAt).toISOString()}, ` +
              `ended ${session.endedAt ? new Date(session.endedAt).toISOString() : 'never'}) missed ` +
              `reminder ${reminder.id} of task ${reminder.taskId} fired ${new Date(reminder.firedAt).toISOString()}, ` +
              `acked ${new Date(reminder.ackedAt).toISOString()}`,
          );
        }
      }
    }
  }
  return result;
}
