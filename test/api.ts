import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { buildApp, type App } from '../server/app.js';
import { signToken } from '../server/auth/jwt.js';
import { testKnex, uniqueUserId } from './env.js';

/** The result of one GraphQL request over HTTP. */
export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; extensions?: Record<string, unknown> }[] | undefined;
}

/** A signed-in user of the API under test. */
export interface TestUser {
  userId: string;
  token: string;
  /** Runs an operation as this user and returns the parsed response. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>>;
}

/** A running API server on a free port, over the run's test database. */
export interface TestApi {
  app: App;
  knex: Knex;
  secret: string;
  url: string;
  user(label?: string): Promise<TestUser>;
  close(): Promise<void>;
}

/** Starts the real HTTP server against the run's PostgreSQL database. */
export async function startTestApi(): Promise<TestApi> {
  const knex = testKnex(8);
  const secret = randomBytes(32).toString('hex');
  const app = await buildApp({
    knex,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    jwtSecret: secret,
    port: 0,
    host: '127.0.0.1',
    graphiql: false,
  }).start();
  const url = `${app.url}/graphql`;
  return {
    app,
    knex,
    secret,
    url,
    async user(label = 'user') {
      const userId = uniqueUserId(label);
      const token = await signToken(secret, userId);
      return {
        userId,
        token,
        async gql(query, variables) {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query, variables }),
          });
          const body = (await response.json()) as { data?: any; errors?: any };
          return { status: response.status, data: body.data, errors: body.errors };
        },
      };
    },
    async close() {
      await app.stop();
      await knex.destroy();
    },
  };
}

/** The fields of Task most tests read. */
export const TASK_FIELDS = `
  id title description completed completedAt priority dueAt timeZone
  category { id name } tags { id name }
  recurrenceRule recurrenceAnchor remindBeforeMinutes remindAt reminderSentAt createdAt updatedAt version
`;

/**
 * The selection for a mutation's result union: its success payload (`dataField`, e.g. `task`)
 * or any typed error with its details.
 */
export function result(mutation: string, dataField = 'task', fields = TASK_FIELDS): string {
  const success = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Success`;
  return `
    __typename
    ... on Error { message }
    ... on ValidationError { field }
    ... on NotFoundError { entity id }
    ... on LimitExceededError { limit max }
    ... on ConflictError { conflictField: field }
    ... on ${success} { ${dataField} { ${fields} } }
  `;
}
