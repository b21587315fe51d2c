import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { Client } from 'graphql-ws';
import type { GraphQLSchema } from 'graphql';
import type { Knex } from 'knex';
import { wsClient, wsSubscribe } from '../live.ts';
import {
  generateOperation,
  INVALID_UTF8_MARK,
  Rng,
  type IdPool,
  type Operation,
} from './generate.ts';

/** One property violation, with everything needed to replay it. */
export interface Failure {
  seed: number;
  index: number;
  transport: 'http' | 'ws';
  problem: string;
  operation: Operation;
  ms?: number;
}

export interface FuzzReport {
  seed: number;
  runs: number;
  http: number;
  ws: number;
  subscriptions: number;
  failures: Failure[];
  /** Answers slower than the bound on first try, with the retry time (re-run once). */
  slow: { index: number; field: string; ms: number; retryMs: number; operation: Operation }[];
  maxMs: number;
  /** The five slowest answers. */
  slowest: { index: number; field: string; ms: number }[];
  elapsedMs: number;
  fieldsCovered: string[];
}

export const ANSWER_BOUND_MS = 2_000;

/** Replaces the marker in a JSON body with bytes that are not UTF-8 (a lone surrogate, 0xFF). */
export function encodeBody(body: string): Buffer {
  if (!body.includes(INVALID_UTF8_MARK)) return Buffer.from(body, 'utf8');
  const parts = body.split(INVALID_UTF8_MARK).map((part) => Buffer.from(part, 'utf8'));
  const bad = Buffer.from([0xed, 0xa0, 0x80, 0xff, 0xc3, 0x28]);
  const chunks: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i) chunks.push(bad);
    chunks.push(part);
  });
  return Buffer.concat(chunks);
}

/** The garbage collector, exposed at run time (jest starts node without --expose-gc). */
export function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Problems in one GraphQL answer: 5xx, INTERNAL_SERVER_ERROR or an unparseable body. */
/** How the answers came out: "data" or the error codes, counted over the run. */
export const outcomes = new Map<string, number>();
const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

function problemsOf(status: number, body: unknown): string[] {
  const problems: string[] = [];
  count(`status ${status}`);
  if (status >= 500) problems.push(`HTTP ${status}`);
  const results = Array.isArray(body) ? body : [body];
  for (const result of results) {
    const errors = (result as { errors?: unknown })?.errors;
    const data = (result as { data?: unknown })?.data;
    if (data) count('with data');
    if (!Array.isArray(errors)) continue;
    for (const error of errors as { extensions?: { code?: string } }[])
      count(`code ${error?.extensions?.code ?? 'none'}`);
    for (const error of errors as { message?: string; extensions?: { code?: string } }[])
      if (
        error?.extensions?.code === 'INTERNAL_SERVER_ERROR' ||
        error?.message === 'Unexpected error.'
      )
        problems.push(`INTERNAL_SERVER_ERROR: ${error.message}`);
  }
  return problems;
}

async function overHttp(
  url: string,
  token: string,
  operation: Operation,
): Promise<{ ms: number; problems: string[] }> {
  const started = performance.now();
  const body = encodeBody(
    JSON.stringify({ query: operation.query, variables: operation.variables }),
  );
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(15_000),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return { ms: performance.now() - started, problems: [`request failed: ${String(error)}`] };
  }
  const ms = performance.now() - started;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ms, problems: status >= 500 ? [`HTTP ${status}`] : [] };
  }
  return { ms, problems: problemsOf(status, parsed) };
}

/** A query or mutation over graphql-ws: its one result, or the error that ended it. */
async function overWs(
  client: Client,
  operation: Operation,
): Promise<{ ms: number; problems: string[] }> {
  const started = performance.now();
  const problems: string[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      problems.push('no answer over WebSocket within 15 s');
      dispose();
      resolve();
    }, 15_000);
    const dispose = client.subscribe(
      { query: operation.query, variables: operation.variables },
      {
        next: (result) => problems.push(...problemsOf(200, result)),
        error: (error) => {
          clearTimeout(timer);
          const errors = Array.isArray(error) ? error : [];
          problems.push(...problemsOf(200, { errors }));
          const code = (error as { code?: number })?.code;
          if (code !== undefined && code >= 4500) problems.push(`socket closed with ${code}`);
          resolve();
        },
        complete: () => {
          clearTimeout(timer);
          resolve();
        },
      },
    );
  });
  return { ms: performance.now() - started, problems };
}

/** A subscription over graphql-ws: subscribes, waits a little for its first result, stops. */
async function subscribeBriefly(
  url: string,
  token: string,
  operation: Operation,
): Promise<{ ms: number; problems: string[] }> {
  const client = wsClient(url, token);
  const started = performance.now();
  const problems: string[] = [];
  try {
    const subscriber = await wsSubscribe(client, operation.query, operation.variables);
    const ms = performance.now() - started;
    const deadline = Date.now() + 150;
    while (Date.now() < deadline && !subscriber.received.length && !subscriber.ended)
      await new Promise((resolve) => setTimeout(resolve, 10));
    for (const received of subscriber.received) problems.push(...problemsOf(200, received));
    await subscriber.stop();
    return { ms, problems };
  } catch (error) {
    const message = String(error);
    // a socket the server closes with 4400-4499 refuses the request; 1011/4500 is an internal error
    if (/\b(1011|45\d\d)\b/.test(message)) problems.push(`socket: ${message}`);
    return { ms: performance.now() - started, problems };
  } finally {
    await client.dispose();
  }
}

export interface FuzzTarget {
  schema: GraphQLSchema;
  url: string;
  token: string;
  ids: IdPool;
}

/** Runs `runs` operations from `seed` one after the other: 80% HTTP, 20% graphql-ws. */
export async function fuzz(target: FuzzTarget, seed: number, runs: number): Promise<FuzzReport> {
  const rng = new Rng(seed);
  const report: FuzzReport = {
    seed,
    runs,
    http: 0,
    ws: 0,
    subscriptions: 0,
    failures: [],
    slow: [],
    maxMs: 0,
    slowest: [],
    elapsedMs: 0,
    fieldsCovered: [],
  };
  const covered = new Set<string>();
  const started = performance.now();
  const socket = wsClient(target.url, target.token);
  try {
    for (let index = 0; index < runs; index++) {
      const operation = generateOperation(rng, target.schema, target.ids, index);
      operation.fields.forEach((field) => covered.add(`${operation.kind}.${field}`));
      const overSocket = operation.kind === 'subscription' || rng.chance(0.2);
      const send = () =>
        operation.kind === 'subscription'
          ? subscribeBriefly(target.url, target.token, operation)
          : overSocket
            ? overWs(socket, operation)
            : overHttp(target.url, target.token, operation);
      if (operation.kind === 'subscription') report.subscriptions++;
      else if (overSocket) report.ws++;
      else report.http++;
      const { ms, problems } = await send();
      report.maxMs = Math.max(report.maxMs, ms);
      report.slowest.push({ index, field: operation.fields.join(','), ms: Math.round(ms) });
      report.slowest.sort((a, b) => b.ms - a.ms).splice(5);
      const transport = overSocket ? 'ws' : 'http';
      for (const problem of problems)
        report.failures.push({ seed, index, transport, problem, operation, ms: Math.round(ms) });
      if (ms > ANSWER_BOUND_MS) {
        // A loaded machine can stall any one request: re-run it once; slow twice is a violation.
        const retry = await send();
        report.slow.push({
          index,
          field: operation.fields.join(','),
          ms: Math.round(ms),
          retryMs: Math.round(retry.ms),
          operation,
        });
        if (retry.ms > ANSWER_BOUND_MS)
          report.failures.push({
            seed,
            index,
            transport,
            problem: `slow: ${Math.round(ms)} ms, again ${Math.round(retry.ms)} ms`,
            operation,
            ms: Math.round(ms),
          });
      }
    }
  } finally {
    await socket.dispose();
  }
  report.elapsedMs = Math.round(performance.now() - started);
  report.fieldsCovered = [...covered].sort();
  return report;
}

/** Every row of `userId` in the user-owned tables, to compare before and after a run. */
export async function snapshotUser(knex: Knex, userId: string): Promise<Record<string, unknown[]>> {
  const tasks = await knex('tasks').where({ user_id: userId }).orderBy('id');
  const categories = await knex('categories').where({ user_id: userId }).orderBy('id');
  const tags = await knex('tags').where({ user_id: userId }).orderBy('id');
  const taskTags = await knex('task_tags')
    .where({ user_id: userId })
    .orderBy(['task_id', 'tag_id']);
  return { tasks, categories, tags, taskTags };
}

/** A failure as text: enough to replay it by hand (seed, index, document and variables). */
export function describeFailure(failure: Failure): string {
  const variables = JSON.stringify(failure.operation.variables, (_key, value) =>
    typeof value === 'string' && value.length > 200
      ? `${value.slice(0, 20)}…(${value.length} chars)`
      : value,
  );
  return [
    `seed ${failure.seed} #${failure.index} over ${failure.transport}: ${failure.problem}`,
    `  ${failure.operation.query}`,
    `  variables: ${variables}`,
  ].join('\n');
}
