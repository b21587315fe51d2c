import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createKnex } from '../db/knex.ts';
import { signToken } from '../server/auth/jwt.ts';
import { uniqueUserId } from '../test/env.ts';
import { eventually, testKafka } from '../test/kafka.ts';
import { ownBroker } from '../test/own-broker.ts';
import { startPgCluster, type PgCluster } from '../test/pg-cluster.ts';
import { SECRET } from '../test/roles.ts';
import { copiesInBroker } from './chaos/broker-copies.ts';
import { judgeDeliveries, FED_WITHIN_MS } from './chaos/deliveries.ts';
import { disrupt } from './chaos/disrupt.ts';
import { postGraphQL, summarizeAttempts, type Attempt } from './chaos/http-log.ts';
import { firedReminders, readLedger, unpublishedSample, type Ledger } from './chaos/ledger.ts';
import { startLoad, type LoadUser } from './chaos/load.ts';
import { chaosSchedule } from './chaos/schedule.ts';
import { startSubscribers } from './chaos/subscribers.ts';
import { startStack, type Stack } from './stack.ts';

// `npm test` runs a short chaos; `npm run chaos` a long one (CHAOS_SECONDS, CHAOS_SEED).
const SECONDS = Number(process.env.CHAOS_SECONDS ?? 60);
const SEED = Number(process.env.CHAOS_SEED ?? 20261130);
const USERS = 4;
const SUBSCRIBERS_PER_USER = 2;
/** After PostgreSQL is back, pooled connections it dropped may still fail a request or two. */
const POSTGRES_GRACE_MS = 5_000;

// A broker and a PostgreSQL server of this test's own, which it stops and starts (ports 19792,
// 19793 for Kafka; PostgreSQL on a free port, in a temporary directory).
const broker = ownBroker(19792);
let postgres: PgCluster | undefined;
let stack: Stack | undefined;
let knex: Knex | undefined;
let users: LoadUser[];
/** What the test started that afterAll must stop if it failed half-way. */
const running: Array<{ stop(): Promise<unknown> }> = [];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [postgres] = await Promise.all([startPgCluster(), broker.start(true)]);
  stack = await startStack({ postgresServerUrl: postgres.url, kafkaBrokers: broker.brokers });
  knex = createKnex(stack.databaseUrl, { poolMax: 2 });
  users = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const userId = uniqueUserId(`chaos-${i}`);
      return { userId, token: await signToken(SECRET, userId) };
    }),
  );
  // The notification group starts at the newest events the first time it joins: wait until it
  // has applied one, so that every event of the run is after its committed position.
  await eventually(
    async () => {
      await postGraphQL(
        [],
        stack!.url,
        users[0]!.token,
        `mutation { createTask(input: { title: "probe" }) { __typename } }`,
        {},
      );
      const { rows } = await knex!.raw(
        `SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = 'notification'`,
      );
      return rows[0].n > 0;
    },
    'the notification group to apply its first event',
    120_000,
  );
}, 420_000);

afterAll(async () => {
  await Promise.all(running.map((part) => part.stop().catch(() => undefined)));
  await knex?.destroy();
  await stack?.stop().catch(() => undefined);
  await broker.stop();
  await postgres?.stop();
}, 120_000);

const settled = (ledger: Ledger) =>
  ledger.unpublished === 0 &&
  ledger.groups.notification.unapplied === 0 &&
  ledger.groups.recurrence.unapplied === 0 &&
  ledger.remindersUnsent === 0 &&
  ledger.recurrencesMissing === 0;

it(
  `survives ${SECONDS} s of chaos (seed ${SEED}): SIGKILLed roles, a Kafka stop, a PostgreSQL crash`,
  async () => {
    const runMs = SECONDS * 1_000;
    const schedule = chaosSchedule(SEED, SECONDS);
    const log: Attempt[] = [];
    const subscribers = startSubscribers(users, SUBSCRIBERS_PER_USER, () => stack!.url);
    running.push(subscribers);
    await eventually(
      () => subscribers.sessions.length === USERS * SUBSCRIBERS_PER_USER,
      'every subscriber connected',
      30_000,
    );
    const startedAt = Date.now();
    const load = startLoad({
      users,
      url: () => stack!.url,
      seed: SEED,
      log,
      reminderLeadMs: 15_000,
      remindersUntil: startedAt + runMs,
      thinkMs: 250,
    });
    running.push(load);
    const chaos = disrupt(schedule, startedAt, { stack: stack!, broker, postgres: postgres! });
    await pause(runMs);
    const tally = await load.stop();
    const disruptions = await chaos;
    const chaosEndedAt = Date.now();

    let ledger = await readLedger(knex!);
    await eventually(
      async () => settled((ledger = await readLedger(knex!))),
      'every event published and applied, every due reminder sent, every next instance made',
      180_000,
    ).catch(() => undefined);
    const drainMs = Date.now() - chaosEndedAt;
    await pause(FED_WITHIN_MS + 1_000);
    const sessions = await subscribers.stop();
    const reminders = await firedReminders(knex!);
    const deliveries = judgeDeliveries(reminders, sessions, Date.now());
    const http = summarizeAttempts(log, disruptions.postgresDown, POSTGRES_GRACE_MS);

    const outbox = (await knex!('outbox').select('event_id')) as { event_id: string }[];
    const ids = new Set(outbox.map((row) => row.event_id));
    const transport = testKafka(broker.brokers);
    const copies = await copiesInBroker(transport, ids, 60_000).finally(() => transport.close());
    const lostInBroker = [...ids].filter((id) => !copies.has(id)).length;
    const duplicatedInBroker = [...copies.values()].filter((n) => n > 1).length;

    const clientReminders = await knex!('outbox')
      .where({ event_type: 'reminder.due' })
      .whereIn(
        'message_key',
        tally.reminders.map((r) => r.id),
      )
      .select('message_key');
    const clientNext = await knex!('tasks')
      .whereIn('previous_task_id', tally.completedRecurring)
      .count({ n: '*' });
    const operations = Object.values(tally.tried).reduce((a, b) => a + b, 0);

    const report = {
      seed: SEED,
      seconds: SECONDS,
      operations: {
        tried: operations,
        byKind: tally.tried,
        answered: tally.answered,
        abandoned: tally.abandoned,
      },
      http,
      processesKilled: disruptions.killed,
      failedStarts: disruptions.failedStarts,
      kafkaDownMs: disruptions.kafkaDown.map((w) => w.to - w.from),
      postgresDownMs: disruptions.postgresDown.map((w) => w.to - w.from),
      drainMs,
      events: {
        inOutbox: ledger.events,
        unpublished: ledger.unpublished,
        unpublishedRows: ledger.unpublished > 0 ? await unpublishedSample(knex!) : [],
        inBroker: copies.size,
        lostInBroker,
        publishedMoreThanOnce: duplicatedInBroker,
        notification: ledger.groups.notification,
        recurrence: ledger.groups.recurrence,
      },
      reminders: {
        createdByLoad: tally.reminders.length,
        due: ledger.remindersDue,
        sent: ledger.remindersSent,
        unsent: ledger.remindersUnsent,
        sentTwice: ledger.remindersDuplicated,
        ofLoadSent: clientReminders.length,
      },
      subscribers: deliveries,
      recurrences: {
        completedConfirmed: tally.completedRecurring.length,
        completedInDatabase: ledger.recurringCompleted,
        nextInstancesOfConfirmed: Number(clientNext[0]!.n),
        missing: ledger.recurrencesMissing,
        duplicated: ledger.recurrencesDuplicated,
      },
      schedule: disruptions.log,
    };
    console.log(`chaos report\n${JSON.stringify(report, null, 2)}`);
    // The last process of each role leaves its log behind, for a failure's investigation.
    for (const [role, child] of Object.entries(stack!.processes)) {
      await writeFile(path.join(os.tmpdir(), `chaos-${role}.log`), child.output());
    }

    expect(disruptions.killed).toEqual({
      api: expect.any(Number),
      relay: expect.any(Number),
      notification: expect.any(Number),
      recurrence: expect.any(Number),
    });
    expect(Math.min(...Object.values(disruptions.killed))).toBeGreaterThan(0);
    expect(disruptions.kafkaDown).toHaveLength(1);
    expect(disruptions.postgresDown).toHaveLength(1);
    // Every committed write's event was published and applied once by each consumer group.
    expect(ledger.unpublished).toBe(0);
    expect(lostInBroker).toBe(0);
    expect(ledger.groups.notification.unapplied).toBe(0);
    expect(ledger.groups.recurrence.unapplied).toBe(0);
    expect(ledger.groups.notification.extra + ledger.groups.recurrence.extra).toBe(0);
    // Every reminder due was sent exactly once, and reached every subscriber connected throughout.
    expect(tally.reminders.length).toBeGreaterThan(0);
    expect(ledger.remindersUnsent).toBe(0);
    expect(ledger.remindersDuplicated).toBe(0);
    expect(clientReminders).toHaveLength(tally.reminders.length);
    expect(deliveries.expected).toBeGreaterThan(0);
    expect(deliveries.examples).toEqual([]);
    expect(deliveries.duplicated).toBe(0);
    // Every completed recurring task has exactly one next instance.
    expect(tally.completedRecurring.length).toBeGreaterThan(0);
    expect(ledger.recurrencesMissing).toBe(0);
    expect(ledger.recurrencesDuplicated).toBe(0);
    expect(Number(clientNext[0]!.n)).toBe(tally.completedRecurring.length);
    // No hang; no server error but while PostgreSQL was down, and those a clear retryable 503.
    expect(http.hangs).toBe(0);
    expect(http.serverErrorsOtherwise).toBe(0);
    expect(http.serverErrorsNotRetryable).toBe(0);
  },
  (SECONDS + 600) * 1_000,
);
