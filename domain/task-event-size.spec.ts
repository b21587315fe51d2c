import { randomUUID } from 'node:crypto';
import { LIMITS } from '../model/limits.ts';
import { newEvent } from '../model/events/new-event.ts';
import { TOPICS } from '../model/events/topics.ts';
import { messageBytes } from '../outbox/message-bytes.ts';
import { DEFAULT_MAX_REQUEST_BYTES } from '../outbox/relay.ts';
import { sampleSnapshot } from '../test/events.ts';

it('keeps the largest task event a client can cause far under the relay request bound', () => {
  const now = new Date().toISOString();
  const task = sampleSnapshot({
    title: '\u0001'.repeat(LIMITS.titleLength),
    description: '\u0001'.repeat(LIMITS.descriptionJsonBytes / 6),
    tagIds: Array.from({ length: LIMITS.tagsPerTask }, () => randomUUID()),
    recurrenceRule: 'X'.repeat(LIMITS.recurrenceRuleLength),
    timeZone: 'America/Argentina/ComodRivadavia',
    categoryId: randomUUID(),
    seriesId: randomUUID(),
    previousTaskId: randomUUID(),
    dueAt: now,
    remindAt: now,
    completedAt: now,
    seriesStartAt: now,
    reminderSentAt: now,
  });
  const event = newEvent('task.updated', 'u'.repeat(200), task.id, {
    task,
    changed: Object.keys(task),
  });
  const bytes = messageBytes({
    topic: TOPICS.taskEvents.name,
    key: task.id,
    value: JSON.stringify(event),
    headers: { 'event-id': event.id, 'event-type': event.type },
  });
  expect(bytes).toBeLessThan(48 * 1024);
  expect(bytes * 15).toBeLessThan(DEFAULT_MAX_REQUEST_BYTES);
});
