import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import type { ChannelSettings } from '../domain/channel-settings.ts';
import { buildApp, type App } from '../server/app.ts';
import { signToken } from '../server/auth/jwt.ts';
import { createKnex } from '../db/knex.ts';
import { migrateLatest } from '../db/migrate.ts';
import { requireTestEnv, uniqueUserId } from './env.ts';
import { createDatabase, dropDatabase, uniqueDatabaseName } from './postgres.ts';

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
  /** The database the API runs on. */
  databaseUrl: string;
  user(label?: string): Promise<TestUser>;
  close(): Promise<void>;
}

/** How a spec's test API is started; see {@link startTestApi}. */
export interface TestApiOptions {
  ownDatabase?: boolean;
  /** What notification channels can be set up; given fields override none configured. */
  channels?: Partial<ChannelSettings>;
}

/**
 * Starts the real HTTP server against the run's PostgreSQL database, or against a database of
 * its own (`ownDatabase`) for specs that run an outbox relay: a relay drains the whole outbox,
 * so two relay specs sharing a database would publish each other's events.
 */
export async function startTestApi({
  ownDatabase = false,
  channels,
}: TestApiOptions = {}): Promise<TestApi> {
  const server = requireTestEnv('TEST_POSTGRES_SERVER_URL');
  const database = ownDatabase ? uniqueDatabaseName('todo_test_own') : undefined;
  const databaseUrl = database
    ? await createDatabase(server, database)
    : requireTestEnv('TEST_DATABASE_URL');
  const knex: Knex = createKnex(databaseUrl, { poolMax: 8 });
  if (database) await migrateLatest(knex);
  const secret = randomBytes(32).toString('hex');
  const app = await buildApp({
    knex,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    jwtSecret: secret,
    port: 0,
    host: '127.0.0.1',
    graphiql: false,
    channels: channels && {
      vapidPublicKey: undefined,
      mailer: undefined,
      allowPrivateAddresses: false,
      publicUrl: 'http://127.0.0.1',
      ...channels,
    },
  }).start();
  const url = `${app.url}/graphql`;
  return {
    app,
    knex,
    secret,
    url,
    databaseUrl,
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
      if (database) await dropDatabase(server, database);
    },
  };
}

/**
 * Starts the API before a spec file's tests and stops it after them: call it at the top level of
 * the file. The object it returns stands for the running API, so use it in hooks and tests only.
 */
export function useTestApi(options: TestApiOptions = {}): TestApi {
  let started: TestApi | undefined;
  beforeAll(async () => {
    started = await startTestApi(options);
  });
  afterAll(() => started?.close());
  const api = (): TestApi => {
    if (!started) throw new Error('the test API starts in beforeAll: use it in hooks and tests');
    return started;
  };
  return {
    get app() {
      return api().app;
    },
    get knex() {
      return api().knex;
    },
    get secret() {
      return api().secret;
    },
    get url() {
      return api().url;
    },
    get databaseUrl() {
      return api().databaseUrl;
    },
    user: (label) => api().user(label),
    close: () => api().close(),
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

/** The fields of Category and Tag. */
export const LABEL_FIELDS = 'id name color taskCount createdAt updatedAt';

/**
 * Each mutation's variable definitions and the field of its success payload; the arguments pass
 * every variable under its own name.
 */
const SIGNATURES = {
  createTask: ['$input: CreateTaskInput!', 'task'],
  updateTask: ['$id: ID!, $input: UpdateTaskInput!', 'task'],
  completeTask: ['$id: ID!', 'task'],
  reopenTask: ['$id: ID!', 'task'],
  deleteTask: ['$id: ID!', 'task'],
  setReminder: ['$taskId: ID!, $remindBeforeMinutes: Int, $remindAt: DateTime', 'task'],
  clearReminder: ['$taskId: ID!', 'task'],
  addTagToTask: ['$taskId: ID!, $tagId: ID!', 'task'],
  removeTagFromTask: ['$taskId: ID!, $tagId: ID!', 'task'],
  createCategory: ['$input: CreateCategoryInput!', 'category'],
  updateCategory: ['$id: ID!, $input: UpdateCategoryInput!', 'category'],
  deleteCategory: ['$id: ID!', 'category'],
  createTag: ['$input: CreateTagInput!', 'tag'],
  updateTag: ['$id: ID!, $input: UpdateTagInput!', 'tag'],
  deleteTag: ['$id: ID!', 'tag'],
} as const;

/** The name of a mutation that {@link mutation} can build. */
export type MutationName = keyof typeof SIGNATURES;

/**
 * The document of mutation `name`, taking its arguments as variables of the same names and
 * selecting its {@link result}: `fields` of the success payload (by default {@link TASK_FIELDS}
 * for a task, {@link LABEL_FIELDS} for a category or tag), or any typed error.
 */
export function mutation(name: MutationName, fields?: string): string {
  const [variables, dataField] = SIGNATURES[name];
  const args = variables
    .split(', ')
    .map((variable) => variable.slice(1, variable.indexOf(':')))
    .map((arg) => `${arg}: $${arg}`)
    .join(', ');
  const selection = fields ?? (dataField === 'task' ? TASK_FIELDS : LABEL_FIELDS);
  return `mutation(${variables}) { ${name}(${args}) { ${result(name, dataField, selection)} } }`;
}

/** Every mutation's document with the default selection of {@link mutation}. */
export const MUTATIONS = Object.fromEntries(
  Object.keys(SIGNATURES).map((name) => [name, mutation(name as MutationName)]),
) as Record<MutationName, string>;

/**
 * Runs mutation `name` as `user`, expects no GraphQL errors and returns its result payload
 * (a success or a typed error).
 */
export async function mutate(
  user: TestUser,
  name: MutationName,
  variables: Record<string, unknown>,
  fields?: string,
): Promise<Record<string, any>> {
  const { data, errors } = await user.gql(mutation(name, fields), variables);
  expect(errors).toBeUndefined();
  return data![name];
}

/** Creates a task, expects CreateTaskSuccess and returns the task (`fields` of it). */
export async function createTask<T = any>(
  user: TestUser,
  input: Record<string, unknown>,
  fields?: string,
): Promise<T> {
  const payload = await mutate(user, 'createTask', { input }, fields);
  expect(payload.__typename).toBe('CreateTaskSuccess');
  return payload.task;
}

/** Creates the tasks one after the other, so their creation order is known. */
export async function createInOrder<T = any>(
  user: TestUser,
  inputs: Record<string, unknown>[],
  fields?: string,
): Promise<T[]> {
  const tasks: T[] = [];
  for (const input of inputs) tasks.push(await createTask<T>(user, input, fields));
  return tasks;
}

/** Completes a task and expects CompleteTaskSuccess with the task completed; returns the task. */
export async function completeTask<T = any>(
  user: TestUser,
  id: string,
  fields?: string,
): Promise<T> {
  const payload = await mutate(user, 'completeTask', { id }, fields);
  expect(payload).toMatchObject({
    __typename: 'CompleteTaskSuccess',
    task: { id, completed: true },
  });
  return payload.task;
}

/** A category or tag, as {@link LABEL_FIELDS} selects it. */
export interface Label {
  id: string;
  name: string;
  color: string;
  taskCount: number;
  createdAt: string;
  updatedAt: string;
}

/** Creates a category or tag, expects its Success type and returns it. */
export async function createLabel(
  user: TestUser,
  kind: 'Category' | 'Tag',
  name: string,
  color = '#000000',
): Promise<Label> {
  const payload = await mutate(user, `create${kind}`, { input: { name, color } });
  expect(payload.__typename).toBe(`Create${kind}Success`);
  return payload[kind === 'Category' ? 'category' : 'tag'];
}

/** One page of a connection, with the paging fields {@link walkPages} checks. */
export interface Page<E extends { cursor: string }> {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  edges: E[];
}

/**
 * Walks every page of a connection, `pageSize` edges at a time, and returns all edges in order;
 * checks on each page that totalCount is `total`, the page's cursors and hasPreviousPage, and
 * that every page but the last is full.
 */
export async function walkPages<E extends { cursor: string }>(
  fetchPage: (first: number, after: string | undefined) => Promise<Page<E>>,
  pageSize: number,
  total: number,
): Promise<E[]> {
  const edges: E[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page++) {
    const connection = await fetchPage(pageSize, after);
    expect(connection.totalCount).toBe(total);
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== undefined);
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
    edges.push(...connection.edges);
    if (!connection.pageInfo.hasNextPage) return edges;
    expect(connection.edges).toHaveLength(pageSize);
    after = connection.pageInfo.endCursor!;
  }
  throw new Error('the pages never ended');
}

/** Expects a request refused as a whole with one ValidationError on `field`, and no data. */
export function expectValidationError(response: GraphQLResponse, field: string): void {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]).toMatchObject({
    extensions: { code: 'VALIDATION_ERROR', type: 'ValidationError', field },
  });
}

/** One hour in milliseconds. */
export const HOUR = 3_600_000;

/** The ISO time `hours` from now (in the past when negative). */
export const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
