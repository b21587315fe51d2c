/** One HTTP request of the load and how it ended. */
export interface Attempt {
  start: number;
  end: number;
  /** The HTTP status, or `network` (no answer: the API was down) or `timeout` (a hang). */
  status: number | 'network' | 'timeout';
  /** The first error's `extensions.code`, if any. */
  code?: string;
  retryAfter?: string | null;
}

/** The longest a request may take before it counts as a hang. */
export const HANG_MS = 20_000;

/** What a GraphQL request answered. */
export interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };
}

/**
 * Posts a GraphQL operation to `url` as the holder of `token` and records the attempt in `log`;
 * resolves to the answer, or undefined when none came (connection refused or reset, or no answer
 * within {@link HANG_MS}).
 */
export async function postGraphQL(
  log: Attempt[],
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer | undefined> {
  const start = Date.now();
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const body = (await response.json()) as Answer['body'];
    log.push({
      start,
      end: Date.now(),
      status: response.status,
      code: body.errors?.[0]?.extensions?.code,
      retryAfter: response.headers.get('retry-after'),
    });
    return { status: response.status, body };
  } catch (error) {
    const name = (error as Error).name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    log.push({ start, end: Date.now(), status: timedOut ? 'timeout' : 'network' });
    return undefined;
  }
}

/**
 * True for a server error: a 5xx, or an answer whose error is the masked `INTERNAL_SERVER_ERROR`
 * (yoga may send that with status 200, e.g. when the database could not be reached).
 */
export const isServerError = (attempt: Pick<Attempt, 'status' | 'code'>) =>
  (typeof attempt.status === 'number' && attempt.status >= 500) ||
  attempt.code === 'INTERNAL_SERVER_ERROR';

/** A span of time, e.g. while PostgreSQL was down. */
export interface Window {
  from: number;
  to: number;
}

/**
 * How the attempts ended: answered, no answer (the API was down), hangs, and server errors
 * ({@link isServerError}) while PostgreSQL was down (`outages`, each widened by `graceMs`) and
 * otherwise; those that were not a 503 SERVICE_UNAVAILABLE with `Retry-After` are "not retryable".
 */
export function summarizeAttempts(log: Attempt[], outages: Window[], graceMs: number) {
  const during = (attempt: Attempt) =>
    outages.some((w) => attempt.end >= w.from && attempt.start <= w.to + graceMs);
  const serverErrors = log.filter(isServerError);
  const unclear = serverErrors.filter(
    (a) => a.status !== 503 || a.code !== 'SERVICE_UNAVAILABLE' || !a.retryAfter,
  );
  const tally = (attempts: Attempt[]) =>
    attempts.reduce<Record<string, number>>((counts, a) => {
      const key = `${a.status}${a.code ? ` ${a.code}` : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
      return counts;
    }, {});
  return {
    requests: log.length,
    ok: log.filter((a) => a.status === 200).length,
    noAnswer: log.filter((a) => a.status === 'network').length,
    hangs: log.filter((a) => a.status === 'timeout').length,
    serverErrorsWhilePostgresDown: serverErrors.filter(during).length,
    serverErrorsOtherwise: serverErrors.filter((a) => !during(a)).length,
    serverErrorsNotRetryable: unclear.length,
    statuses: tally(log),
    statusesWhilePostgresDown: tally(log.filter(during)),
  };
}
