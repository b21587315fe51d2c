import type { Knex } from 'knex';

/** Who is acting and against which database: every domain operation is scoped to one user. */
export interface Scope {
  db: Knex;
  userId: string;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

export const nowOf = (scope: Scope): Date => scope.now?.() ?? new Date();
