import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createKnex } from '../../db/knex.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { signToken } from '../../server/auth/jwt.ts';
import { loadConfig } from '../../server/config.ts';
import { ensureKafka } from '../../test/kafka-broker.ts';
import { SECRET, startRole } from '../../test/roles.ts';
import { startPgCluster, type PgCluster } from '../../test/pg-cluster.ts';
import { startConsumer, type ConsumerProcess } from './consumer.ts';
import { portOwner } from './sockets.ts';
import { statementSettings } from './statements.ts';
import { createAppendTimeTopics } from './topics.ts';
import type { Metered } from './cpu.ts';

/** A role process of the product (`node server/main.ts <role>`). */
export type RoleProcess = ReturnType<typeof startRole> & { name: string };

/** What the pipeline benchmark runs on, each part as deployed: a process of its own. */
export interface Stack {
  /** A short id that keeps this run's users and consumer group apart from earlier runs'. */
  run: string;
  pg: PgCluster;
  /** The broker's process, when it runs on this machine. */
  kafkaPid: number | undefined;
  /** A pool on the cluster for the benchmark's own reads and backlog writes. */
  knex: Knex;
  consumer: ConsumerProcess;
  /** Relay processes started so far, killed ones included. */
  relays: RoleProcess[];
  startRelay(): Promise<RoleProcess>;
  /** Starts the API; resolves with its /graphql URL and its process id. */
  startApi(): Promise<{ url: string; pid: number }>;
  /** A JWT the API accepts for `userId`. */
  token(userId: string): Promise<string>;
  /** Stops everything; writes every process's log to a directory; returns a summary of them. */
  stop(): Promise<string>;
}

/**
 * Starts the stack: a PostgreSQL cluster of its own with commit timestamps on, migrated; the
 * Kafka broker (ensureKafka: `KAFKA_BROKERS`, else Docker, else scripts/kafka.sh on
 * `KAFKA_PORT`); the product's topics stamped with append time; and the consumer process.
 * Relays and the API are started by the phases that need them.
 */
export async function startStack(): Promise<Stack> {
  const run = randomUUID().slice(0, 8);
  const pg = await startPgCluster({ track_commit_timestamp: 'on', ...statementSettings() });
  const stops: Array<() => Promise<unknown>> = [() => pg.stop()];
  const roles: RoleProcess[] = [];
  const relays: RoleProcess[] = [];
  const stopAll = async () => {
    for (const stop of [...stops].reverse()) await stop().catch(() => undefined);
  };
  try {
    const knex = createKnex(pg.url, { poolMax: 10 });
    stops.push(() => knex.destroy());
    await migrateLatest(knex);
    const kafka = await ensureKafka();
    stops.push(() => kafka.stop());
    await createAppendTimeTopics(kafka.brokers, loadConfig({}).topics);
    const kafkaPid = await portOwner(Number(kafka.brokers.split(',')[0]!.split(':').at(-1)));
    // BENCH_PIPELINE_PROFILE=<dir>: each role and the consumer write a CPU profile there on exit.
    const profile = process.env.BENCH_PIPELINE_PROFILE;
    const env = {
      DATABASE_URL: pg.url,
      KAFKA_BROKERS: kafka.brokers,
      NODE_ENV: 'production',
      ...(profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profile}` } : {}),
    };
    const consumer = await startConsumer({
      ...env,
      AUTH_JWT_SECRET: SECRET,
      BENCH_GROUP: `bench-pipeline-${run}`,
    });
    stops.push(() => consumer.stop());
    const start = async (name: string) => {
      const role = Object.assign(startRole(name, env), { name: `${name}-${roles.length + 1}` });
      roles.push(role);
      stops.push(async () => role.child.exitCode === null && (await role.stop()));
      return role;
    };
    return {
      run,
      pg,
      kafkaPid,
      knex,
      consumer,
      relays,
      async startRelay() {
        const relay = await start('relay');
        await relay.url();
        relays.push(relay);
        return relay;
      },
      async startApi() {
        const api = await start('api');
        return { url: `${await api.url()}/graphql`, pid: api.child.pid! };
      },
      token: (userId) => signToken(SECRET, userId),
      async stop() {
        await stopAll();
        return await saveLogs(run, [
          ...roles.map((role) => ({ name: role.name, output: role.output() })),
          { name: 'consumer', output: consumer.output() },
        ]);
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The processes whose CPU a measured window reports (the relay is the last one started). */
export function meteredProcesses(stack: Stack, apiPid?: number): Record<string, Metered> {
  return {
    ...(apiPid ? { api: { pid: apiPid } } : {}),
    relay: { pid: stack.relays.at(-1)!.child.pid! },
    consumer: { pid: stack.consumer.pid },
    postgres: { pid: stack.pg.pid, withChildren: true },
    ...(stack.kafkaPid ? { kafka: { pid: stack.kafkaPid } } : {}),
    'load generator': { pid: process.pid },
  };
}

/**
 * Writes each process's log into a directory of the system's temp folder; returns where, and the
 * warnings and errors the logs hold, counted by process and message.
 */
async function saveLogs(run: string, logs: { name: string; output: string }[]): Promise<string> {
  const dir = path.join(os.tmpdir(), `bench-pipeline-${run}`);
  await mkdir(dir, { recursive: true });
  const counts = new Map<string, number>();
  for (const { name, output } of logs) {
    await writeFile(path.join(dir, `${name}.log`), output);
    for (const line of output.split('\n')) {
      const level = Number(/^\{"level":(\d+)/.exec(line)?.[1] ?? 0);
      const plain =
        !line.startsWith('{') &&
        line.trim() !== '' &&
        !/^(GraphQL API:|Timeout duration was set|\(Use `node --trace-warnings|\s+at )/.test(line);
      if (level < 40 && !plain) continue;
      const message = plain ? line.slice(0, 160) : (/"msg":"([^"]*)"/.exec(line)?.[1] ?? '');
      const key = `${name} ${plain ? 'output' : level >= 50 ? 'error' : 'warn'}: ${message}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const problems = [...counts].map(([key, count]) => `  ${count} × ${key}`);
  return [
    `process logs in ${dir}`,
    ...(problems.length ? problems : ['  no warnings or errors']),
  ].join('\n');
}
