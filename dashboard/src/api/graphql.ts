/** A GraphQL error as the API sends it. */
export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

/** Thrown when the API answers with errors (or a mutation with a typed error). */
export class ApiError extends Error {}

/** Runs one operation against `/graphql` with the bearer token; throws ApiError on errors. */
export async function request<T>(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLError[] };
  if (body.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new ApiError(`The API answered ${response.status} without data.`);
  return body.data;
}

/** A mutation result union: the success payload, or a typed error with its message. */
export function unwrap<T>(result: { __typename: string; message?: string } & T): T {
  if (!result.__typename.endsWith('Success'))
    throw new ApiError(result.message ?? result.__typename);
  return result;
}
