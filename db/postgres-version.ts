import { NamedError } from '../model/errors.ts';

/** The oldest PostgreSQL major version the migrations run on (`ON DELETE SET NULL (column)`). */
export const REQUIRED_POSTGRES_MAJOR = 15;

/** Thrown at start-up when the database server is older than {@link REQUIRED_POSTGRES_MAJOR}. */
export class PostgresVersionError extends NamedError {
  /** The version found, as PostgreSQL prints it (e.g. `13.4`). */
  readonly found: string;

  constructor(found: string) {
    super(
      `PostgreSQL ${found} found; todo-events needs PostgreSQL ${REQUIRED_POSTGRES_MAJOR} or ` +
        'newer. Upgrade the server or point DATABASE_URL at a newer one.',
    );
    this.found = found;
  }
}

/** `server_version_num` as a version: 130004 is `13.4`, 90624 (before 10) is `9.6.24`. */
export function versionName(serverVersionNum: number): string {
  const major = Math.floor(serverVersionNum / 10_000);
  const rest = serverVersionNum % 10_000;
  return major >= 10 ? `${major}.${rest}` : `${major}.${Math.floor(rest / 100)}.${rest % 100}`;
}

/**
 * Checks a `server_version_num` against {@link REQUIRED_POSTGRES_MAJOR}.
 * @throws PostgresVersionError naming the version found and the version needed.
 */
export function checkPostgresVersion(serverVersionNum: number | string): void {
  const num = Number(serverVersionNum);
  if (!Number.isInteger(num) || num <= 0) {
    throw new Error(`PostgreSQL reported server_version_num "${serverVersionNum}"`);
  }
  if (num < REQUIRED_POSTGRES_MAJOR * 10_000) throw new PostgresVersionError(versionName(num));
}

/**
 * Reads the server's `server_version_num` and checks it; returns it.
 * @throws PostgresVersionError when the server is too old.
 */
export async function assertPostgresVersion(knex: {
  raw(sql: string): PromiseLike<unknown>;
}): Promise<number> {
  const { rows } = (await knex.raw('SHOW server_version_num')) as {
    rows: { server_version_num: string }[];
  };
  const num = rows[0]?.server_version_num;
  checkPostgresVersion(num ?? '');
  return Number(num);
}
