import { signToken } from '../server/auth/jwt.ts';
import { requireTestEnv, uniqueUserId } from '../test/env.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../test/postgres.ts';
import { SECRET, startRole } from '../test/roles.ts';

type Process = ReturnType<typeof startRole>;

/** The product as a deployment runs it: one process per role, on a database of its own. */
export interface Stack {
  /** The API's base URL (dashboard at `/`, GraphQL at `/graphql`). */
  url: string;
  processes: Record<'api' | 'relay' | 'notification' | 'recurrence', Process>;
  /** Starts (again) a role that was stopped or killed. */
  restart(role: 'notification' | 'recurrence' | 'relay'): Promise<void>;
  token(label?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Migrates a fresh database, then starts api, relay, notification and recurrence. */
export async function startStack(): Promise<Stack> {
  const server = requireTestEnv('TEST_POSTGRES_SERVER_URL');
  const name = uniqueDatabaseName('todo_e2e');
  const env = {
    DATABASE_URL: await createDatabase(server, name),
    KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS'),
  };
  const migrate = startRole('migrate', env);
  if ((await migrate.exited) !== 0) throw new Error(`migrate failed:\n${migrate.output()}`);
  const processes = {
    api: startRole('api', env),
    relay: startRole('relay', env),
    notification: startRole('notification', env),
    recurrence: startRole('recurrence', env),
  };
  const url = await processes.api.url();
  await Promise.all(Object.values(processes).map((p) => p.url()));
  return {
    url,
    processes,
    async restart(role) {
      processes[role] = startRole(role, env);
      await processes[role].url();
    },
    token: (label = 'e2e') => signToken(SECRET, uniqueUserId(label)),
    async stop() {
      await Promise.all(
        Object.values(processes).map(async (p) => {
          if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
        }),
      );
      await dropDatabase(server, name);
    },
  };
}
