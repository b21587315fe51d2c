/**
 * Fuzzes every MCP tool over HTTP (/mcp) with seeded random arguments built from each tool's
 * input JSON schema: valid, boundary and wrongly typed values, huge strings, NULs, lone
 * surrogates, extreme dates and numbers, missing and extra fields, own, foreign and unknown ids.
 *
 * Properties: every call gets a well-formed MCP result (content of text parts; a tool error
 * carries a message and never an internal error text), within 2 s; no call is a protocol error;
 * the server stays up; the bystander's rows are unchanged.
 *
 * Smoke size in npm test (fixed seed). Reproduce or go long:
 *   FUZZ_SEED=123 FUZZ_RUNS=5000 npm run test:jest -- test/fuzz/mcp.fuzz
 */
import { appendFileSync } from 'node:fs';
import { useTestApi, createLabel, createTask, inHours, type TestUser } from '../api.ts';
import { callTool, httpClient, TOOL_NAMES, type TestClient } from '../mcp.ts';
import { argumentsFor, describe as show, type KnownIds, type Schema } from './mcp-arguments.ts';
import { fuzzRuns, fuzzSeed, isLongRun, Random } from './mcp-random.ts';

const SEED = fuzzSeed(20261129);
const RUNS = fuzzRuns(400);
const CALL_LIMIT_MS = 2_000;
const INTERNAL =
  /unexpected error|internal server error|INTERNAL_SERVER_ERROR|stack|at .*\.ts:\d+|undefined is not|cannot read prop/i;

const api = useTestApi({ ownDatabase: true });

const SNAPSHOT = `{
  tasks(first: 100) { totalCount edges { node { id version title description dueAt remindAt completed
    priority timeZone recurrenceRule tags { id } category { id } } } }
  categories { id name color } tags { id name color }
}`;

let user: TestUser;
let bystander: TestUser;
let mcp: TestClient;
let schemas: Map<string, Schema>;
const ids: KnownIds = { own: [], bystander: [] };

async function seedRows(owner: TestUser, into: string[], prefix: string) {
  const category = await createLabel(owner, 'Category', `${prefix} home`);
  const tag = await createLabel(owner, 'Tag', `${prefix} tag`);
  const task = await createTask(owner, {
    title: `${prefix} task`,
    dueAt: inHours(30),
    categoryId: category.id,
    tagIds: [tag.id],
    remindBeforeMinutes: 30,
  });
  const recurring = await createTask(owner, {
    title: `${prefix} recurring`,
    dueAt: inHours(5),
    recurrenceRule: 'FREQ=DAILY',
  });
  into.push(category.id, tag.id, task.id, recurring.id);
}

beforeAll(async () => {
  user = await api.user('fuzzer');
  bystander = await api.user('bystander');
  await seedRows(user, ids.own, 'own');
  await seedRows(bystander, ids.bystander, 'theirs');
  mcp = await httpClient(api.app.url, user.token);
  const { tools } = await mcp.client.listTools();
  schemas = new Map(tools.map((tool) => [tool.name, tool.inputSchema as Schema]));
}, 60_000);
afterAll(() => mcp?.close());

it('lists every tool with an input schema', () => {
  expect([...schemas.keys()].sort()).toEqual([...TOOL_NAMES].sort());
});

interface Failure {
  seed: number;
  call: number;
  tool: string;
  args: string;
  problem: string;
}

it(
  `answers ${RUNS} calls with random arguments well (seed ${SEED})`,
  async () => {
    const before = (await bystander.gql(SNAPSHOT)).data;
    const rnd = new Random(SEED);
    const failures: Failure[] = [];
    const stats = { calls: 0, ok: 0, toolErrors: 0, slowest: 0, started: Date.now() };
    for (let call = 0; call < RUNS; call++) {
      const tool = TOOL_NAMES[call % TOOL_NAMES.length]!;
      const args = argumentsFor(rnd, schemas.get(tool)!, ids);
      const fail = (problem: string) =>
        failures.push({ seed: SEED, call, tool, args: show(args), problem });
      const started = Date.now();
      try {
        const result = await mcp.client.callTool({ name: tool, arguments: args });
        const took = Date.now() - started;
        stats.slowest = Math.max(stats.slowest, took);
        const content = result.content as { type: string; text?: string }[] | undefined;
        if (!Array.isArray(content) || content.length === 0) fail('no content');
        else if (content.some((part) => part.type !== 'text' || typeof part.text !== 'string'))
          fail(`content not text parts: ${show(content)}`);
        const text = (content ?? []).map((part) => part.text ?? '').join('\n');
        if (took > CALL_LIMIT_MS) fail(`took ${took} ms`);
        if (result.isError === true) {
          stats.toolErrors++;
          // FUZZ_LOG=<file>: every tool error message, to read whether they are clear.
          if (process.env.FUZZ_LOG)
            appendFileSync(
              process.env.FUZZ_LOG,
              `${call}\t${tool}\t${show(args)}\t${JSON.stringify(text)}\n`,
            );
          if (text.trim().length < 5) fail(`tool error without a message: ${show(text)}`);
          if (INTERNAL.test(text)) fail(`internal error text: ${text.slice(0, 300)}`);
        } else {
          stats.ok++;
          if (result.structuredContent === undefined) fail('success without structuredContent');
        }
      } catch (error) {
        fail(
          `protocol error (${Date.now() - started} ms): ${String((error as Error).message).slice(0, 300)}`,
        );
      }
      stats.calls++;
    }

    // The server is still up and answers a good call.
    const alive = await callTool(mcp.client, 'list_tasks', {});
    expect(alive.isError).toBe(false);
    // The bystander's rows are exactly as they were.
    expect((await bystander.gql(SNAPSHOT)).data).toEqual(before);

    const seconds = ((Date.now() - stats.started) / 1000).toFixed(1);
    console.log(
      `mcp fuzz: seed ${SEED}, ${stats.calls} calls (${stats.ok} ok, ${stats.toolErrors} tool errors), ` +
        `${failures.length} failures, slowest ${stats.slowest} ms, ${seconds} s`,
    );
    // One line per distinct problem, with the first call that showed it, to reproduce.
    const distinct = new Map<string, Failure>();
    for (const failure of failures) {
      const key = `${failure.tool}: ${failure.problem.replace(/[0-9a-f-]{36}|\d+/g, '#').slice(0, 120)}`;
      if (!distinct.has(key)) distinct.set(key, failure);
    }
    expect([...distinct.values()]).toEqual([]);
  },
  isLongRun() ? 3_600_000 : 60_000,
);
