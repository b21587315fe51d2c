import http from 'node:http';

/** Wall-clock time in ms with sub-millisecond precision, comparable with Date.now(). */
export const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CREATE = `mutation($input: CreateTaskInput!) {
  createTask(input: $input) {
    __typename
    ... on CreateTaskSuccess { task { id } }
    ... on Error { message } } }`;

/** One createTask the load generator sent. */
export interface Write {
  /** Index of the writer's token. */
  user: number;
  title: string;
  /** When the write was due to start (wall clock, ms); latencies count from here. */
  scheduledAt: number;
  respondedAt?: number;
  taskId?: string;
  error?: string;
}

/** How many of `writes` failed, with the first error, e.g. `2 of 300 failed (first: ...)`. */
export function failures(writes: Write[]): string {
  const failed = writes.filter((write) => write.error);
  const first = failed[0] ? ` (first: ${failed[0].error})` : '';
  return `${failed.length} of ${writes.length} failed${first}`;
}

/** Creates tasks through the API over HTTP keep-alive connections, one token per user. */
export function taskWriter(graphqlUrl: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const url = new URL(graphqlUrl);
  const post = (token: string, body: string) =>
    new Promise<string>((resolve, reject) => {
      const request = http.request(
        url,
        {
          agent,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve(text));
          response.on('error', reject);
        },
      );
      request.setTimeout(30_000, () => request.destroy(new Error('no answer within 30 s')));
      request.on('error', reject);
      request.end(body);
    });
  return {
    /** Sends one createTask; fills in `write` when the answer comes; never throws. */
    async create(token: string, write: Write): Promise<Write> {
      try {
        const body = JSON.stringify({
          query: CREATE,
          variables: { input: { title: write.title } },
        });
        const answer = JSON.parse(await post(token, body));
        write.respondedAt = wallNow();
        const result = answer.data?.createTask;
        if (result?.task?.id) write.taskId = result.task.id;
        else write.error = JSON.stringify(answer.errors ?? result).slice(0, 300);
      } catch (error) {
        write.respondedAt = wallNow();
        write.error = (error as Error).message;
      }
      return write;
    },
    close: () => agent.destroy(),
  };
}

/** A client of the API that creates tasks (see taskWriter). */
export type TaskWriter = ReturnType<typeof taskWriter>;

/**
 * Open-loop load: `rate` creates per second for `seconds`, write i due at start + i / rate and
 * sent then by user i mod `tokens.length`, whether or not earlier ones were answered. Resolves
 * with every write once all are answered; `onStart` is told the wall-clock start.
 */
export async function openLoop(
  writer: TaskWriter,
  options: { tokens: string[]; rate: number; seconds: number; label: string },
  onStart?: (startedAt: number) => void,
): Promise<Write[]> {
  const { tokens, rate, seconds, label } = options;
  const total = Math.round(rate * seconds);
  const startedAt = wallNow() + 10;
  onStart?.(startedAt);
  const pending: Promise<Write>[] = [];
  while (pending.length < total) {
    const now = wallNow();
    for (let i = pending.length; i < total && startedAt + (i * 1000) / rate <= now; i++) {
      const user = i % tokens.length;
      const scheduledAt = startedAt + (i * 1000) / rate;
      pending.push(writer.create(tokens[user]!, { user, title: `${label} ${i}`, scheduledAt }));
    }
    await sleep(1);
  }
  return Promise.all(pending);
}

/**
 * Closed-loop load: `writers` concurrent writers, each calling `write(writer, n)` again as soon
 * as its last call settled, for `warmUp` + `seconds`; resolves with the calls per second that
 * succeeded (resolved true) during the last `seconds`, and how many failed then.
 */
export async function closedLoop(
  writers: number,
  write: (writer: number, n: number) => Promise<boolean>,
  { warmUp, seconds }: { warmUp: number; seconds: number },
): Promise<{ perSecond: number; failed: number }> {
  const from = wallNow() + warmUp * 1000;
  const until = from + seconds * 1000;
  let done = 0;
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (wallNow() < until) {
        const ok = await write(writer, next++);
        const at = wallNow();
        if (at < from || at > until) continue;
        if (ok) done += 1;
        else failed += 1;
      }
    }),
  );
  return { perSecond: done / seconds, failed };
}
