import { NamedError } from '../../model/errors.ts';

/** What a process runs; one Kubernetes Deployment (or Job) per role, or `all` in one process. */
export const ROLES = {
  all: 'everything in one process (the default; works with no configuration at all)',
  api: 'the GraphQL API, its live subscriptions and MCP at /mcp',
  relay: 'the outbox relay: publishes committed events to Kafka',
  notification: 'the notification service: sends reminders on time',
  recurrence: 'the recurring task service: creates next instances',
  delivery: 'the delivery service: sends reminders to push, webhook and email channels',
  migrate: 'applies pending database migrations, then exits',
} as const;

export type Role = keyof typeof ROLES;

/** Thrown for a role name that does not exist. */
export class UnknownRoleError extends NamedError {
  constructor(name: string) {
    super(
      `Unknown role "${name}". Choose one of:\n${Object.entries(ROLES)
        .map(([role, what]) => `  ${role}: ${what}`)
        .join('\n')}`,
    );
  }
}

/** The role named on the command line, else by `ROLE`, else `all`. */
export function roleOf(argument: string | undefined, env: string | undefined): Role {
  const name = (argument ?? env ?? 'all').trim() || 'all';
  if (!Object.hasOwn(ROLES, name)) throw new UnknownRoleError(name);
  return name as Role;
}
