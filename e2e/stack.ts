import { signToken } from '../server/auth/jwt.ts';
import { requireTestEnv, uniqueUserId } from '../test/env.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../test/postgres.ts';
import { SECRET, startRole } from '../test/roles.ts';

type Process = ReturnType<typeof startRole>;

/** The roles a stack runs, one process each. */
export type StackRole = 'api' | 'relay' | 'notification' | 'recurrence';
/** A role a stack runs only when asked (`StackOptions.delivery`). */
export type OptionalRole = 'delivery';

/** Where a stack runs; by default the run's PostgreSQL server and Kafka broker. */
export interface StackOptions {
  /** The PostgreSQL server the stack creates its database on. */
  postgresServerUrl?: string;
  /** `KAFKA_BROKERS` for every role. */
  kafkaBrokers?: string;
  /** More environment for every role. */
  env?: Record<string, string>;
  /** Also runs the delivery role: reminders to Web Push, webhooks and email. */
  delivery?: boolean;
}

/** The product as a deployment runs it: one process per role, on a database of its own. */
export interface Stack {
  /** The API's base URL (dashboard at `/`, GraphQL at `/graphql`); it changes when the API restarts. */
  readonly url: string;
  /** The stack's database, as the roles reach it. */
  databaseUrl: string;
  processes: Record<StackRole, Process> & Partial<Record<OptionalRole, Process>>;
  /** Starts (again) a role that was stopped or killed; resolves once it logged that it started. */
  restart(role: StackRole | OptionalRole): Promise<void>;
  token(label?: string): Promise<string>;
  /** Runs one GraphQL operation as the user of `token` through the public API; throws on errors. */
  gql<T = any>(token: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Migrates a fresh database, then starts api, relay, notification and recurrence (and delivery
 * when asked).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const server = options.postgresServerUrl ?? requireTestEnv('TEST_POSTGRES_SERVER_URL');
  const name = uniqueDatabaseName('todo_e2e');
  const databaseUrl = await createDatabase(server, name);
  const env = {
    ...options.env,
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: options.kafkaBrokers ?? requireTestEnv('KAFKA_BROKERS'),
  };
  const migrate = startRole('migrate', env);
  if ((await migrate.exited) !== 0) throw new Error(`migrate failed:\n${migrate.output()}`);
  const processes: Stack['processes'] = {
    api: startRole('api', env),
    relay: startRole('relay', env),
    notification: startRole('notification', env),
    recurrence: startRole('recurrence', env),
    ...(options.delivery ? { delivery: startRole('delivery', env) } : {}),
  };
  let url = await processes.api.url();
  await Promise.all(Object.values(processes).map((p) => p!.url()));
  return {
    get url() {
      return url;
    },
    databaseUrl,
    processes,
    async restart(role) {
      processes[role] = startRole(role, env);
      const started = await processes[role]!.url();
      if (role === 'api') url = started;
    },
    token: (label = 'e2e') => signToken(SECRET, uniqueUserId(label)),
    async gql(token, query, variables = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
      if (body.errors) throw new Error(body.errors.map((error) => error.message).join('; '));
      return body.data;
    },
    async stop() {
      await Promise.all(
        Object.values(processes).map(async (p) => {
          if (p && p.child.exitCode === null && p.child.signalCode === null) await p.stop();
        }),
      );
      await dropDatabase(server, name);
    },
  };
}
