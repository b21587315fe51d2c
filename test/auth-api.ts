import type { Knex } from 'knex';
import { pino } from 'pino';
import { buildApp, type App } from '../server/app.ts';
import { parseAuthEnv } from '../server/auth/auth-options.ts';

/**
 * The API on a free port, its auth configured from `AUTH_*` variables as an operator sets them,
 * with `AUTH_JWKS_COOLDOWN=0` unless `env` says otherwise (tests rotate keys and must not wait).
 */
export function startApiWithAuthEnv(knex: Knex, env: Record<string, string>): Promise<App> {
  const parsed = parseAuthEnv({ AUTH_JWKS_COOLDOWN: '0', ...env });
  if (!parsed.options) throw new Error(parsed.problems.join('\n'));
  return buildApp({
    knex,
    logger: pino({ level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    graphiql: false,
    auth: parsed.options,
  }).start();
}
