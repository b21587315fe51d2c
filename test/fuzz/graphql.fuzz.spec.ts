import { schema } from '../../schema/index.ts';
import { createLabel, createTask, mutate, useTestApi, type TestUser } from '../api.ts';
import { rootFields, type IdPool } from './generate.ts';
import {
  ANSWER_BOUND_MS,
  describeFailure,
  exposeGc,
  fuzz,
  outcomes,
  snapshotUser,
  type FuzzReport,
} from './run.ts';

/**
 * The GraphQL fuzzer: operations generated from the executable schema (every root field, random
 * and boundary arguments, wrong types, huge strings, NULs, invalid UTF-8, extreme dates and
 * numbers, random selections and aliases) run against the real server over HTTP and graphql-ws.
 * Properties: no 5xx, no INTERNAL_SERVER_ERROR, no unhandled rejection, every answer within 2 s
 * (re-run once when slow), heap back near its start, and the bystander's rows unchanged.
 *
 * FUZZ_SEED (default 1) and FUZZ_RUNS (default 300, the smoke size; `npm run fuzz` runs 5000).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 1);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Heap growth allowed after the run and a forced GC (the server shares the jest process). */
const HEAP_SLACK_BYTES = 48 * 1024 * 1024;

const api = useTestApi();

async function seedRows(user: TestUser, ids: string[]): Promise<void> {
  const category = await createLabel(user, 'Category', 'work');
  const tag = await createLabel(user, 'Tag', 'urgent');
  const tag2 = await createLabel(user, 'Tag', 'home');
  ids.push(category.id, tag.id, tag2.id);
  const inputs = [
    { title: 'plain' },
    {
      title: 'due',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      categoryId: category.id,
    },
    { title: 'overdue', dueAt: new Date(Date.now() - 3_600_000).toISOString(), priority: 'HIGH' },
    {
      title: 'recurring',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      recurrenceRule: 'FREQ=DAILY',
    },
    { title: 'described', description: 'some words to search for' },
  ];
  for (const input of inputs) {
    const task = await createTask<{ id: string }>(user, input, 'id');
    ids.push(task.id);
    await mutate(user, 'addTagToTask', { taskId: task.id, tagId: tag.id }, 'id');
  }
}

it(
  `seed ${SEED}, ${RUNS} operations: no 5xx, no internal error, answers within 2 s, no leak, no cross-user change`,
  async () => {
    const fuzzed = await api.user('fuzzed');
    const bystander = await api.user('bystander');
    const ids: IdPool = { own: [], foreign: [] };
    await seedRows(fuzzed, ids.own);
    await seedRows(bystander, ids.foreign);
    const before = await snapshotUser(api.knex, bystander.userId);

    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    const onException = (error: unknown) => rejections.push(error);
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);

    const gc = exposeGc();
    const target = { schema, url: api.url, token: fuzzed.token, ids };
    // Warm up (module caches, JIT, pools) with another seed, then take the heap baseline.
    await fuzz(target, SEED + 1_000_000, Math.min(60, RUNS));
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;

    let report: FuzzReport;
    try {
      report = await fuzz(target, SEED, RUNS);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    }
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = process.memoryUsage().rss;

    // the server is still up and answers
    const alive = await fuzzed.gql('{ me { id } }');
    expect(alive).toMatchObject({ status: 200, data: { me: { id: fuzzed.userId } } });

    const after = await snapshotUser(api.knex, bystander.userId);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const roots = rootFields(schema);
    const allFields = [
      ...roots.query.map((field) => `query.${field.name}`),
      ...roots.mutation.map((field) => `mutation.${field.name}`),
      ...roots.subscription.map((field) => `subscription.${field.name}`),
    ];
    const summary = [
      `fuzz seed ${SEED}: ${report.runs} operations (${report.http} HTTP, ${report.ws} graphql-ws, ` +
        `${report.subscriptions} subscriptions) in ${(report.elapsedMs / 1000).toFixed(1)} s`,
      `  slowest answer ${Math.round(report.maxMs)} ms (${report.slowest.map((slow) => `#${slow.index} ${slow.field} ${slow.ms} ms`).join(', ')}); over ${ANSWER_BOUND_MS} ms once: ${report.slow.length}` +
        report.slow
          .map(
            (slow) => `\n    #${slow.index} ${slow.field}: ${slow.ms} ms, retry ${slow.retryMs} ms`,
          )
          .join(''),
      `  heap after GC ${mb(heapBefore)} -> ${mb(heapAfter)}; rss ${mb(rssBefore)} -> ${mb(rssAfter)}`,
      `  outcomes: ${[...outcomes].map(([key, n]) => `${key}: ${n}`).join(', ')}`,
      `  failures: ${report.failures.length}; unhandled rejections: ${rejections.length}`,
    ].join('\n');
    console.log(summary);
    if (report.failures.length)
      console.log(report.failures.slice(0, 40).map(describeFailure).join('\n\n'));

    expect(report.fieldsCovered).toEqual(expect.arrayContaining(allFields));
    expect(rejections.map(String)).toEqual([]);
    expect(report.failures.map(describeFailure)).toEqual([]);
    expect(after).toEqual(before);
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_SLACK_BYTES);
  },
  Math.max(90_000, RUNS * 1_000),
);
