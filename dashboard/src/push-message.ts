/**
 * A reminder as a push message carries it; the same shape as `PushReminderMessage` in
 * consumers/delivery/senders/push-message.ts, which the delivery service sends.
 */
export interface PushReminderMessage {
  type: 'reminder';
  deliveryId: string;
  taskId: string;
  title: string;
  dueAt: string | null;
  /** The task's IANA time zone. */
  timeZone: string;
  remindAt: string;
  /** Opens the task on the dashboard. */
  url: string;
}

/** Whether a push message's data is a reminder this dashboard can show. */
export function isReminderMessage(data: unknown): data is PushReminderMessage {
  const message = data as Partial<PushReminderMessage> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    message.type === 'reminder' &&
    typeof message.title === 'string' &&
    typeof message.remindAt === 'string' &&
    typeof message.url === 'string'
  );
}
