import { NamedError } from '../../model/errors.ts';

/** What the stdio adapter needs: where the API is and whose token to call it with. */
export interface StdioConfig {
  graphqlUrl: string;
  token: string;
}

/** A configuration value that is missing or malformed; the message says how to fix it. */
export class StdioConfigError extends NamedError {}

/** Reads `TODO_GRAPHQL_URL` and `TODO_API_TOKEN`, or throws naming each problem. */
export function readStdioConfig(env: Record<string, string | undefined>): StdioConfig {
  const problems: string[] = [];
  const url = env.TODO_GRAPHQL_URL?.trim();
  let graphqlUrl = '';
  if (!url) {
    problems.push(
      'TODO_GRAPHQL_URL is not set: set it to the GraphQL endpoint, e.g. http://localhost:4000/graphql',
    );
  } else {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) {
      problems.push(
        `TODO_GRAPHQL_URL "${url}" is not an http(s) URL, e.g. http://localhost:4000/graphql`,
      );
    } else graphqlUrl = parsed.toString();
  }
  const token = env.TODO_API_TOKEN?.trim().replace(/^Bearer\s+/i, '') ?? '';
  if (!token) {
    problems.push(
      'TODO_API_TOKEN is not set: set it to your API token (a JWT; `npm start` prints a development token)',
    );
  } else if (/\s/.test(token)) {
    problems.push('TODO_API_TOKEN must be a single token (a JWT) without spaces');
  }
  if (problems.length > 0) throw new StdioConfigError(problems.join('\n'));
  return { graphqlUrl, token };
}
