import { pino, type Logger } from 'pino';

export type { Logger };

/** The levels `LOG_LEVEL` may name, most severe first. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** What the logger is configured with. */
export interface LoggerOptions {
  logLevel: (typeof LOG_LEVELS)[number];
}

/** JSON logs on stdout, one line per event; secrets in known places are redacted. */
export function createLogger(options: LoggerOptions, name = 'todo-events'): Logger {
  return pino({
    name,
    level: options.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', 'token'],
      censor: '[redacted]',
    },
  });
}
