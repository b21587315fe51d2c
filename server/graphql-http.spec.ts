import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { signToken } from './auth/jwt.ts';
import { MUTATIONS, TASK_FIELDS, useTestApi } from '../test/api.ts';

const api = useTestApi();

const encoder = new TextEncoder();
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface HttpResult {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

/** Sends a raw request to the GraphQL endpoint and parses the JSON answer. */
async function send(init: {
  method?: 'GET' | 'POST';
  token?: string | null;
  headers?: Record<string, string>;
  body?: string;
  search?: Record<string, string>;
}): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined && !headers['content-type']) {
    headers['content-type'] = 'application/json';
  }
  const url = new URL(api.url);
  for (const [key, value] of Object.entries(init.search ?? {})) url.searchParams.set(key, value);
  const response = await fetch(url, { method: init.method ?? 'POST', headers, body: init.body });
  const text = await response.text();
  let body: HttpResult['body'];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} answered with a body that is not JSON: ${text}`);
  }
  return { status: response.status, headers: response.headers, body };
}

const post = (token: string | null, query: string, variables?: Record<string, unknown>) =>
  send({ token, body: JSON.stringify({ query, variables }) });

async function validToken(): Promise<{ userId: string; token: string }> {
  const user = await api.user('http');
  return { userId: user.userId, token: user.token };
}

const taskRows = (title: string) => api.knex('tasks').where({ title }).select('id');

describe('authentication', () => {
  const now = () => Math.floor(Date.now() / 1000);

  const badTokens: [string, () => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    [
      'a non-Bearer scheme',
      async () => ({ authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` }),
    ],
    ['a Bearer header without a token', async () => ({ authorization: 'Bearer' })],
    [
      'a token signed with another secret',
      async () => ({
        authorization: `Bearer ${await signToken('another-secret-another-secret-0123', 'alice')}`,
      }),
    ],
    [
      'an alg: none token',
      async () => ({
        authorization: `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
          sub: 'alice',
          iat: now(),
          exp: now() + 3600,
        })}.`,
      }),
    ],
    [
      'an HS512 token signed with the right secret',
      async () => ({
        authorization: `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
          .setSubject('alice')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(encoder.encode(api.secret))}`,
      }),
    ],
    [
      'an RS256 header over an HMAC signature (algorithm confusion)',
      async () => {
        const valid = await signToken(api.secret, 'alice');
        const [, payload, signature] = valid.split('.');
        return {
          authorization: `Bearer ${base64url({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`,
        };
      },
    ],
    [
      'a token with a tampered payload',
      async () => {
        const valid = await signToken(api.secret, 'alice');
        const [header, , signature] = valid.split('.');
        const payload = base64url({ sub: 'mallory', iat: now(), exp: now() + 3600 });
        return { authorization: `Bearer ${header}.${payload}.${signature}` };
      },
    ],
    [
      'an expired token',
      async () => ({
        authorization: `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject('alice')
          .setIssuedAt(now() - 7200)
          .setExpirationTime(now() - 3600)
          .sign(encoder.encode(api.secret))}`,
      }),
    ],
    [
      'a token without exp (it would never expire)',
      async () => ({
        authorization: `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject('alice')
          .setIssuedAt()
          .sign(encoder.encode(api.secret))}`,
      }),
    ],
    [
      'a token without sub',
      async () => ({
        authorization: `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(encoder.encode(api.secret))}`,
      }),
    ],
    [
      'a token whose sub is longer than 255 characters',
      async () => ({ authorization: `Bearer ${await signToken(api.secret, 'a'.repeat(256))}` }),
    ],
    ['a garbage token', async () => ({ authorization: 'Bearer not.a.jwt' })],
  ];

  it.each(badTokens)('refuses %s with 401 and changes nothing', async (_name, headersOf) => {
    const title = `auth-probe-${randomUUID()}`;
    const response = await send({
      headers: await headersOf(),
      body: JSON.stringify({ query: MUTATIONS.createTask, variables: { input: { title } } }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.errors![0]!.message).toEqual(expect.any(String));
    expect(await taskRows(title)).toEqual([]);
  });

  it('refuses a read query without a token the same way', async () => {
    const response = await send({ body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('tells an expired token apart from a bad one', async () => {
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('alice')
      .setIssuedAt(now() - 7200)
      .setExpirationTime(now() - 3600)
      .sign(encoder.encode(api.secret));
    const response = await post(expired, '{ me { id } }');
    expect(response.body.errors![0]!.message).toBe('The token has expired.');
  });

  it('accepts a valid token and answers as its subject', async () => {
    const { userId, token } = await validToken();
    const response = await post(token, '{ me { id } }');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { id: userId } } });
  });

  it('accepts the scheme case-insensitively', async () => {
    const { userId, token } = await validToken();
    const response = await send({
      headers: { authorization: `bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { id: userId } } });
  });

  it('lets a valid token create, so the refusals above are not for another reason', async () => {
    const { userId, token } = await validToken();
    const title = `auth-probe-${randomUUID()}`;
    const response = await post(token, MUTATIONS.createTask, { input: { title } });
    expect(response.status).toBe(200);
    expect(response.body.data.createTask.__typename).toBe('CreateTaskSuccess');
    expect(await api.knex('tasks').where({ title }).select('user_id')).toEqual([
      { user_id: userId },
    ]);
  });
});

describe('GraphQL over HTTP', () => {
  it('answers a query sent with GET', async () => {
    const { userId, token } = await validToken();
    const response = await send({ method: 'GET', token, search: { query: '{me{id}}' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { id: userId } } });
  });

  it('refuses a mutation sent with GET and does not run it', async () => {
    const { token } = await validToken();
    const title = `get-mutation-${randomUUID()}`;
    const response = await send({
      method: 'GET',
      token,
      search: { query: `mutation { createTask(input: { title: "${title}" }) { __typename } }` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.map((error) => error.message)).toEqual([
      'Can only perform a mutation operation from a POST request.',
    ]);
    expect(await taskRows(title)).toEqual([]);
  });

  describe('with Accept: application/graphql-response+json', () => {
    const accept = { accept: 'application/graphql-response+json' };

    it('answers with that content type', async () => {
      const { userId, token } = await validToken();
      const response = await send({
        token,
        headers: accept,
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(
        /^application\/graphql-response\+json\b/,
      );
      expect(response.body).toEqual({ data: { me: { id: userId } } });
    });

    it('answers a syntax error with 400 and no data', async () => {
      const { token } = await validToken();
      const response = await send({
        token,
        headers: accept,
        body: JSON.stringify({ query: '{ me { id }' }),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(
        /^application\/graphql-response\+json\b/,
      );
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0]!.message).toMatch(/^Syntax Error/);
    });

    it('answers a validation error (unknown field) with 400 and no data', async () => {
      const { token } = await validToken();
      const response = await send({
        token,
        headers: accept,
        body: JSON.stringify({ query: '{ me { id password } }' }),
      });
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors?.map((error) => error.message)).toEqual([
        'Cannot query field "password" on type "Viewer".',
      ]);
    });
  });

  it('answers a validation error with 200 and errors under Accept: application/json', async () => {
    const { token } = await validToken();
    const response = await send({
      token,
      headers: { accept: 'application/json' },
      body: JSON.stringify({ query: '{ me { id password } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.map((error) => error.message)).toEqual([
      'Cannot query field "password" on type "Viewer".',
    ]);
  });

  it('refuses an unknown enum value in a variable, naming it, and creates nothing', async () => {
    const { token } = await validToken();
    const title = `enum-probe-${randomUUID()}`;
    const response = await post(token, MUTATIONS.createTask, {
      input: { title, priority: 'CRITICAL' },
    });
    expect(response.status).toBe(400);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.map((error) => error.message)).toEqual([
      'Variable "$input" got invalid value "CRITICAL" at "input.priority"; Value "CRITICAL" does not exist in "Priority" enum.',
    ]);
    expect(await taskRows(title)).toEqual([]);
  });

  it('refuses an unknown enum value inline in the query, naming it, and creates nothing', async () => {
    const { token } = await validToken();
    const title = `enum-probe-${randomUUID()}`;
    const response = await post(
      token,
      `mutation { createTask(input: { title: "${title}", priority: CRITICAL }) { __typename } }`,
    );
    expect(response.status).toBe(200);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.map((error) => error.message)).toEqual([
      'Value "CRITICAL" does not exist in "Priority" enum.',
    ]);
    expect(response.body.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await taskRows(title)).toEqual([]);
  });
});

describe('health endpoints', () => {
  it('answers /health with 200 without credentials', async () => {
    const response = await fetch(new URL('/health', api.url));
    expect(response.status).toBe(200);
  });

  it('answers /ready with 200 without credentials', async () => {
    const response = await fetch(new URL('/ready', api.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('refuses anything but GET and HEAD on the probes with 405, saying so', async () => {
    for (const path of ['/health', '/ready']) {
      const response = await fetch(new URL(path, api.url), { method: 'POST', body: '{}' });
      expect(response.status).toBe(405);
      expect(await response.json()).toEqual({ error: 'GET only' });
    }
  });

  it('leaves every other path to GraphQL: /graphql/ready is not a probe', async () => {
    const response = await fetch(new URL('/graphql/ready', api.url));
    expect(response.status).toBe(404);
  });
});

describe('query cost limits (schema/builder.ts: complexity 20000, depth 12, breadth 300)', () => {
  const TASK_ALL_FIELDS = `
    id title description completed completedAt priority dueAt timeZone
    recurrenceRule recurrenceAnchor remindBeforeMinutes remindAt reminderSentAt
    createdAt updatedAt version
    category { id name color taskCount createdAt updatedAt }
    tags { id name color taskCount createdAt updatedAt }
  `;
  const page = (alias: string, first: number) => `
    ${alias}: tasks(first: ${first}) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { ${TASK_ALL_FIELDS} } }
    }`;

  it('accepts a normal dashboard query: 50 tasks with every field, tags and category', async () => {
    const { token } = await validToken();
    const response = await post(token, `{ ${page('tasks', 50)} }`);
    expect(response.body.errors).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body.data.tasks).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    });
  });

  it('accepts the test harness selection (TASK_FIELDS) on a page of 50', async () => {
    const { token } = await validToken();
    const response = await post(
      token,
      `{ tasks(first: 50) { edges { node { ${TASK_FIELDS} } } } }`,
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ tasks: { edges: [] } });
  });

  it('refuses a query over the complexity limit with an error and no data', async () => {
    const { token } = await validToken();
    const aliases = Array.from({ length: 3 }, (_, i) => page(`page${i}`, 100)).join('\n');
    const response = await post(token, `{ ${aliases} }`);
    expect(response.status).toBe(200);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(response.body.errors![0]!.message).toMatch(
      /^Query exceeds maximum complexity \(complexity: \d+, max: 20000\)$/,
    );
  });

  it('refuses a query over the breadth limit (many cheap aliases)', async () => {
    const { token } = await validToken();
    const aliases = Array.from({ length: 151 }, (_, i) => `me${i}: me { id }`).join(' ');
    const response = await post(token, `{ ${aliases} }`);
    expect(response.status).toBe(200);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(response.body.errors![0]!.message).toBe(
      'Query exceeds maximum breadth (breadth: 302, max: 300)',
    );
  });

  it('accepts a query just under the breadth limit', async () => {
    const { userId, token } = await validToken();
    const aliases = Array.from({ length: 150 }, (_, i) => `me${i}: me { id }`).join(' ');
    const response = await post(token, `{ ${aliases} }`);
    expect(response.body.errors).toBeUndefined();
    expect(Object.keys(response.body.data)).toHaveLength(150);
    expect(response.body.data.me149).toEqual({ id: userId });
  });

  it('accepts the deepest query the schema allows (depth 5, far below 12)', async () => {
    // The schema has no cycles: the longest path is a list -> edges -> node -> tags|category ->
    // scalar (depth 5), so the depth limit of 12 cannot be exceeded through schema fields.
    const { token } = await validToken();
    const response = await post(
      token,
      '{ searchTasks(query: "x") { edges { node { category { id } tags { id } } } } }',
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ searchTasks: { edges: [] } });
  });

  it('does not run a mutation that is over the limit', async () => {
    const { token } = await validToken();
    const title = `cost-probe-${randomUUID()}`;
    const aliases = Array.from(
      { length: 151 },
      (_, i) => `m${i}: createTask(input: { title: "${title}" }) { __typename }`,
    ).join(' ');
    const response = await post(token, `mutation { ${aliases} }`);
    expect(response.status).toBe(200);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors![0]!.message).toMatch(/^Query exceeds maximum breadth/);
    expect(await taskRows(title)).toEqual([]);
  });
});

describe('request ids', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('gives every response an x-request-id', async () => {
    const { token } = await validToken();
    const first = await post(token, '{ me { id } }');
    const second = await post(token, '{ me { id } }');
    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).toMatch(UUID);
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });

  it('echoes a well-formed incoming X-Request-Id', async () => {
    const { token } = await validToken();
    const id = `client-trace.42:${randomUUID()}`;
    const response = await send({
      token,
      headers: { 'x-request-id': id },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
  });

  it('replaces a malformed incoming X-Request-Id with a fresh one', async () => {
    const { token } = await validToken();
    const response = await send({
      token,
      headers: { 'x-request-id': 'has spaces and <html>' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });

  it('puts the request id on a refused (401) response too', async () => {
    const response = await send({
      headers: { 'x-request-id': 'refused-request-1' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('refused-request-1');
  });
});

describe('hostile input never causes a 500', () => {
  const expectClientError = (response: HttpResult) => {
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    expect(response.status).not.toBe(201);
    expect(response.body.errors?.length).toBeGreaterThan(0);
  };

  // [what, body, status under Accept: application/json]
  const bodies: [string, string, number][] = [
    ['invalid JSON', '{"query": "{ me { id } }"', 400],
    ['a query that is a number', '{"query": 5}', 400],
    ['an empty body', '', 400],
    ['a JSON array', '[]', 400],
    ['JSON null', 'null', 400],
    ['variables that are a string', '{"query": "{ me { id } }", "variables": "nope"}', 400],
    ['an operationName that is an object', '{"query": "{ me { id } }", "operationName": {}}', 400],
    // A GraphQL request error, which GraphQL over HTTP answers with 200 under application/json.
    ['no query at all', '{"variables": {}}', 200],
  ];

  it.each(bodies)('answers %s with a client error', async (_name, body, status) => {
    const { token } = await validToken();
    const response = await send({ token, body });
    expectClientError(response);
    expect(response.status).toBe(status);
    expect(response.body.data ?? null).toBeNull();
  });

  it.each(bodies)(
    'answers %s with 400 under Accept: application/graphql-response+json',
    async (_name, body) => {
      const { token } = await validToken();
      const response = await send({
        token,
        headers: { accept: 'application/graphql-response+json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors?.length).toBeGreaterThan(0);
      expect(response.body.data ?? null).toBeNull();
    },
  );

  it('answers a huge variables object of wrong types with errors and creates nothing', async () => {
    const { token } = await validToken();
    const title = `hostile-${randomUUID()}`;
    const junk = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`v${i}`, { nested: [i, 'x', null, { deep: true }] }]),
    );
    const response = await post(token, MUTATIONS.createTask, {
      ...junk,
      input: {
        title: [title],
        priority: 7,
        dueAt: { not: 'a date' },
        tagIds: 'not-a-list-of-ids',
        remindBeforeMinutes: 'sixty',
      },
    });
    expectClientError(response);
    expect(response.body.data ?? null).toBeNull();
    expect(await taskRows(title)).toEqual([]);
  });

  it('answers an input variable that is a number with errors', async () => {
    const { token } = await validToken();
    const response = await post(token, MUTATIONS.createTask, { input: 42 });
    expectClientError(response);
    expect(response.body.data ?? null).toBeNull();
  });

  it('answers an out-of-range Int with errors', async () => {
    const { token } = await validToken();
    const response = await post(token, '{ tasks(first: 99999999999) { totalCount } }');
    expectClientError(response);
    expect(response.body.data ?? null).toBeNull();
  });

  it('answers a negative page size with a validation error', async () => {
    const { token } = await validToken();
    const response = await post(token, '{ tasks(first: -5) { totalCount } }');
    expectClientError(response);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors![0]!.message).toBe('first must not be negative');
  });

  it('answers a forged cursor with a validation error, not an internal error', async () => {
    const { token } = await validToken();
    const cursor = Buffer.from(
      JSON.stringify(['created_at', 'not a timestamp', randomUUID()]),
    ).toString('base64url');
    const response = await post(
      token,
      '{ tasks(after: $after) { totalCount } }'.replace('$after', JSON.stringify(cursor)),
    );
    expectClientError(response);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors![0]!.message).toMatch(/^after is not a cursor of this list/);
  });

  it('answers a GET without a query with a client error', async () => {
    const { token } = await validToken();
    const response = await send({ method: 'GET', token });
    expectClientError(response);
  });

  it('answers an unsupported content type with 415', async () => {
    const { token } = await validToken();
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: '{ me { id } }',
    });
    expect(response.status).toBe(415);
  });
});
