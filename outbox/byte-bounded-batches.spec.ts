import { pino } from 'pino';
import type { EventTransport, OutgoingMessage } from '../messaging/transport.ts';
import { LIMITS } from '../model/limits.ts';
import { jsonStringBytes } from '../model/validation.ts';
import { TOPICS } from '../model/events/topics.ts';
import { createLabel, createTask, mutate, useTestApi } from '../test/api.ts';
import { collect, eventually, testKafka, testTopics } from '../test/kafka.ts';
import { DEFAULT_MAX_REQUEST_BYTES, OutboxRelay } from './relay.ts';
import { unsentRows } from './unsent.ts';

const api = useTestApi({ ownDatabase: true });
const TASKS = 120;
/** 10,000 characters and exactly the byte bound once JSON-escaped: the largest accepted. */
const DESCRIPTION = '\u0001'.repeat(6_000) + 'x'.repeat(4_000);

/** The bytes of a request as they go on the wire, before record overhead. */
const requestBytes = (messages: OutgoingMessage[]) =>
  messages.reduce(
    (sum, { key, value, headers }) =>
      sum +
      Buffer.byteLength(key) +
      Buffer.byteLength(value) +
      Object.entries(headers ?? {}).reduce(
        (bytes, [name, text]) => bytes + Buffer.byteLength(name) + Buffer.byteLength(text),
        0,
      ),
    0,
  );

it('publishes a commit of 120 large task events completely, in requests under the bound', async () => {
  expect(DESCRIPTION).toHaveLength(LIMITS.descriptionLength);
  expect(jsonStringBytes(DESCRIPTION)).toBe(LIMITS.descriptionJsonBytes);
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const collector = await collect(transport, [TOPICS.taskEvents.name]);
  const requests: OutgoingMessage[][] = [];
  const watched: EventTransport = Object.create(transport, {
    publish: {
      value: async (messages: OutgoingMessage[]) => {
        requests.push(messages);
        await transport.publish(messages);
      },
    },
  });
  const relay = new OutboxRelay({
    knex: api.knex,
    transport: watched,
    logger: pino({ level: 'silent' }),
  });
  try {
    const user = await api.user();
    const tag = await createLabel(user, 'Tag', 'shared');
    for (let i = 0; i < TASKS; i++) {
      await createTask(
        user,
        { title: `large ${i}`, description: DESCRIPTION, tagIds: [tag.id] },
        'id',
      );
    }
    while ((await relay.relayBatch()) > 0);
    requests.length = 0;

    const deleted = await mutate(user, 'deleteTag', { id: tag.id }, 'id');
    expect(deleted.__typename).toBe('DeleteTagSuccess');
    const rows: { event_id: string }[] = await api
      .knex('outbox')
      .where({ user_id: user.userId, event_type: 'task.updated' })
      .select('event_id');
    expect(rows).toHaveLength(TASKS);
    while ((await relay.relayBatch()) > 0);

    expect(requests.flat()).toHaveLength(TASKS);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const request of requests) {
      expect(requestBytes(request)).toBeLessThanOrEqual(DEFAULT_MAX_REQUEST_BYTES);
    }
    const ids = new Set(rows.map((row) => row.event_id));
    const onKafka = () =>
      new Set(collector.messages.map((m) => m.headers['event-id']).filter((id) => ids.has(id!)));
    await eventually(() => onKafka().size === TASKS, 'every event of the deleteTag commit');
    expect(await unsentRows(api.knex)).toEqual([]);
    expect(await api.knex('outbox').whereNotNull('failed_at')).toEqual([]);
  } finally {
    await relay.stop();
    await collector.stop();
    await transport.close();
  }
}, 120_000);
