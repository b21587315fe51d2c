import { randomUUID } from 'node:crypto';
import { newEvent } from '../model/events/new-event.ts';
import { insertedTask } from '../db/task-rows.ts';
import { snapshotOf, type TaskSnapshot } from '../model/events/task-snapshot.ts';
import type { OutgoingMessage } from '../messaging/transport.ts';

/** A valid task snapshot for events made up by tests: a new task's, with `overrides`. */
export function sampleSnapshot(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const task = insertedTask({ id: randomUUID(), userId: 'sample', title: 'Sample' }, new Date());
  return { ...snapshotOf(task, []), ...overrides };
}

/** `count` task.created events of one user as messages for `topic`. */
export function createdEvents(topic: string, userId: string, count: number): OutgoingMessage[] {
  return Array.from({ length: count }, () => {
    const task = sampleSnapshot();
    const event = newEvent('task.created', userId, task.id, { task });
    return { topic, key: task.id, value: JSON.stringify(event) };
  });
}
