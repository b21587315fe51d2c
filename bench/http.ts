import type { Knex } from 'knex';
import { pino } from 'pino';
import { buildApp } from '../server/app.ts';
import { signToken } from '../server/auth/jwt.ts';

/**
 * A GraphQL client for one token: runs one operation, throws on GraphQL errors, and returns the
 * data and the round trip in ms.
 */
export function timedRequest(url: string, token: string) {
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    if (body.errors || !body.data)
      throw new Error(`benchmark query failed: ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, data: body.data as any };
  };
}

/** The secret the benchmark API verifies tokens with. */
export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret';

/** The API on a free port over the benchmark database, and a timed GraphQL client for one user. */
export async function startBenchApi(knex: Knex, userId: string) {
  const secret = BENCH_SECRET;
  const app = await buildApp({
    knex,
    logger: pino({ level: 'silent' }),
    jwtSecret: secret,
    port: 0,
    host: '127.0.0.1',
    graphiql: false,
  }).start();
  const token = await signToken(secret, userId);
  return {
    url: `${app.url}/graphql`,
    token,
    request: timedRequest(`${app.url}/graphql`, token),
    stop: () => app.stop(),
  };
}
