import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** JSON logs on stdout, one line per event; secrets in known places are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'todo-events'): Logger {
  return pino({
    name,
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', 'token'],
      censor: '[redacted]',
    },
  });
}
