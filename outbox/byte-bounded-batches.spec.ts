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

it('claims batches bounded by payload bytes, at least one row each, and publishes every row', async () => {
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const maxBatchBytes = 100_000;
  const relay = new OutboxRelay({
    knex: api.knex,
    transport,
    logger: pino({ level: 'silent' }),
    maxBatchBytes,
  });
  try {
    while ((await relay.relayBatch()) > 0);
    const user = await api.user();
    // About 40 KB each: two fit a batch, and a third of them alone would not.
    for (let i = 0; i < 12; i++)
      await createTask(user, { title: `large ${i}`, description: DESCRIPTION }, 'id');
    while ((await relay.relayBatch()) > 0);
    const batches: { rows: number; bytes: number }[] = await api
      .knex('outbox')
      .where({ user_id: user.userId })
      .groupBy('relay_batch')
      .select(
        api.knex.raw('count(*)::int AS rows'),
        // As the writer measured each event (outbox.payload_bytes), which the claim bounds.
        api.knex.raw('sum(payload_bytes)::int AS bytes'),
      );
    expect(batches.reduce((sum, batch) => sum + batch.rows, 0)).toBe(12);
    expect(batches.reduce((sum, batch) => sum + batch.bytes, 0)).toBeGreaterThan(12 * 40_000);
    expect(batches.length).toBeGreaterThanOrEqual(4);
    for (const batch of batches)
      expect(batch.rows === 1 || batch.bytes <= maxBatchBytes).toBe(true);
    expect(await unsentRows(api.knex)).toEqual([]);
  } finally {
    await relay.stop();
    await transport.close();
  }
}, 120_000);
