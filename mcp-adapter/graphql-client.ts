import { NamedError } from '../model/errors.ts';

/**
 * How the adapter reaches the product: GraphQL documents executed with the caller's token, over
 * HTTP to a URL or in-process through a `fetch`-like function (yoga's own `fetch`).
 */

/** A GraphQL document that carries the types of its data and variables. */
export type Document<TData, TVariables> = string & {
  readonly __types?: (variables: TVariables) => TData;
};

/** Declares a typed document (`documents.spec.ts` validates each against `schema.graphql`). */
export const document = <TData, TVariables = Record<string, never>>(source: string) =>
  source.replace(/\s+/g, ' ').trim() as Document<TData, TVariables>;

/** A GraphQL error as the API reports it (query errors carry `code`, `type` and `field`). */
export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; type?: string; field?: string; [key: string]: unknown };
}

/** What one executed document answered. */
export interface GraphQLResult<TData> {
  data: TData | null | undefined;
  errors: GraphQLErrorShape[] | undefined;
}

/** Runs a document as the caller. */
export type GraphQLExecutor = <TData, TVariables>(
  document: Document<TData, TVariables>,
  variables: TVariables,
) => Promise<GraphQLResult<TData>>;

/** Why a request never produced a GraphQL result; the message is meant for the agent. */
export class GraphQLTransportError extends NamedError {
  readonly kind: 'unreachable' | 'unauthenticated' | 'bad-response';

  constructor(kind: GraphQLTransportError['kind'], message: string) {
    super(message);
    this.kind = kind;
  }
}

/** The part of a `fetch` Response the client reads. */
export interface FetchResponseLike {
  status: number;
  text(): Promise<string>;
}

/** The part of `fetch` the client calls: global `fetch` and yoga's `fetch` both fit. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => FetchResponseLike | Promise<FetchResponseLike>;

/** Where to send documents and as whom. */
export interface GraphQLClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** The caller's bearer token (a JWT). */
  token: string;
  /** Defaults to the global `fetch`; pass yoga's `fetch` to stay in-process. */
  fetch?: FetchLike;
}

/** An executor that posts each document to `url` with `Authorization: Bearer <token>`. */
export function createGraphQLClient({
  url,
  token,
  fetch: fetchLike = fetch,
}: GraphQLClientOptions): GraphQLExecutor {
  return async (query, variables) => {
    let response: FetchResponseLike;
    try {
      response = await fetchLike(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
      throw new GraphQLTransportError(
        'unreachable',
        `The task API at ${url} is unreachable (${reason}). Try again later or check TODO_GRAPHQL_URL.`,
      );
    }
    const text = await response.text();
    let body: { data?: unknown; errors?: GraphQLErrorShape[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new GraphQLTransportError(
        'bad-response',
        `The task API answered HTTP ${response.status} without a GraphQL response: ${text.slice(0, 200)}`,
      );
    }
    if (response.status === 401) {
      throw new GraphQLTransportError(
        'unauthenticated',
        `The task API refused the token (HTTP 401): ${body.errors?.[0]?.message ?? 'unauthenticated'} Use a valid token.`,
      );
    }
    return { data: body.data as never, errors: body.errors };
  };
}
