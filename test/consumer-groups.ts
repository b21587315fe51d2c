import { createTask, type TestApi } from './api.ts';
import { eventually } from './kafka.ts';
import { pause } from './notification.ts';

/**
 * Waits until each consumer group has handled an event written after it started: a new group
 * starts at the newest offsets only once it has joined, so a spec writes its events after this.
 */
export async function consumersJoined(api: TestApi, groups: string[]): Promise<void> {
  const probe = await api.user('probe');
  await eventually(
    async () => {
      await createTask(probe, { title: 'probe' });
      await pause(500);
      const handled = await api
        .knex('processed_events')
        .whereIn('consumer_group', groups)
        .distinct('consumer_group');
      return handled.length === groups.length;
    },
    'the consumers to join',
    60_000,
  );
}
