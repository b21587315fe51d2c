import type { Knex } from 'knex';
import { createKnex } from '../../db/knex.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { TOPICS } from '../../model/events/topics.ts';
import { unsentRows } from '../../outbox/unsent.ts';
import { signToken } from '../auth/jwt.ts';
import type { TestUser } from '../../test/api.ts';
import { requireTestEnv, uniqueUserId } from '../../test/env.ts';
import { collect, eventually, testKafka } from '../../test/kafka.ts';
import { createReminderTask, msFromNow, pause } from '../../test/notification.ts';
import { ownBroker } from '../../test/own-broker.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../test/postgres.ts';
import { SECRET, startRole } from '../../test/roles.ts';

// A broker of this spec's own, stopped while the roles start (ports 19492 and 19493).
const broker = ownBroker(19492);
const server = () => requireTestEnv('TEST_POSTGRES_SERVER_URL');
let database: string;
let databaseUrl: string;
let knex: Knex;

beforeAll(async () => {
  database = uniqueDatabaseName('todo_test_kafka_down');
  databaseUrl = await createDatabase(server(), database);
  knex = createKnex(databaseUrl, { poolMax: 2 });
  await migrateLatest(knex);
  await broker.stop();
}, 60_000);

afterAll(async () => {
  await broker.stop();
  await knex?.destroy();
  await dropDatabase(server(), database);
}, 60_000);

/** A user of the API role at `url`. */
async function userOf(url: string): Promise<TestUser> {
  const userId = uniqueUserId('kafka-down');
  const token = await signToken(SECRET, userId);
  return {
    userId,
    token,
    async gql(query, variables) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: any };
      return { status: response.status, data: body.data, errors: body.errors };
    },
  };
}

/** `/ready`'s status and the reason its body gives. */
const readiness = async (url: string) => {
  const response = await fetch(`${url}/ready`);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as { reason?: string } };
};
const UNREACHABLE = /Kafka is unreachable at 127\.0\.0\.1:19492/;

it('a role started while Kafka is down stays up, claims reminders on time and turns ready once Kafka is back', async () => {
  const env = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: broker.brokers };
  const roles = [startRole('api', env), startRole('relay', env)];
  try {
    const [api, relay] = await Promise.all(roles.map((role) => role.url()));
    const user = await userOf(api!);
    // Due after the notification role started. While Kafka is down no task event wakes its
    // scheduler early, so the reminder is set before, as a reminder set in advance would be.
    const task = await createReminderTask(user, msFromNow(15_000), 'Due while Kafka is down');
    const listed = await user.gql<{ tasks: { edges: { node: { id: string } }[] } }>(
      '{ tasks { edges { node { id } } } }',
    );
    expect(listed.data?.tasks.edges.map((edge) => edge.node.id)).toEqual([task.id]);

    const started = Date.now();
    roles.push(startRole('notification', env));
    const notification = await roles[2]!.url();
    for (const url of [api!, relay!, notification]) {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await readiness(url)).status).toBe(503);
    }
    for (const url of [api!, relay!, notification]) {
      expect((await readiness(url)).body.reason).toMatch(UNREACHABLE);
    }
    expect(roles[0]!.output()).toMatch(
      /"reason":"Kafka is unreachable at [^"]*","msg":"not ready"/,
    );

    await eventually(
      async () => !!(await knex('tasks').where({ id: task.id }).first()).reminder_sent_at,
      'the reminder claimed while Kafka is down',
      30_000,
    );
    const claimed = await knex('tasks').where({ id: task.id }).first();
    expect(claimed.reminder_sent_at.getTime() - Date.parse(task.remindAt)).toBeLessThan(2_000);
    const waiting = await unsentRows(knex).where({
      event_type: 'reminder.due',
      message_key: task.id,
    });
    expect(waiting).toHaveLength(1);

    await pause(Math.max(0, started + 16_000 - Date.now()));
    for (const role of roles) expect(role.child.exitCode).toBeNull();
    expect((await readiness(notification)).body.reason).toMatch(UNREACHABLE);

    await broker.start(true);
    for (const url of [api!, relay!, notification]) {
      await eventually(async () => (await readiness(url)).status === 200, `${url} ready`, 90_000);
    }
    const transport = testKafka(broker.brokers);
    const reminders = await collect(transport, [TOPICS.taskReminders.name]);
    try {
      await eventually(
        () => reminders.messages.some((message) => message.key === task.id),
        'the reminder event in Kafka',
        60_000,
      );
      await eventually(
        async () => (await unsentRows(knex)).length === 0,
        'the outbox marked sent',
        10_000,
      );
    } finally {
      await reminders.stop();
      await transport.close();
    }
    for (const role of roles) expect((await role.stop()).code).toBe(0);
  } finally {
    for (const role of roles) role.child.kill('SIGKILL');
  }
}, 300_000);
