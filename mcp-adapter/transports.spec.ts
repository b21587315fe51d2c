import { spawnSync } from 'node:child_process';
import { useTestApi } from '../test/api.ts';
import {
  callTool,
  connect,
  ROOT,
  STDIO_ENTRY,
  stdioClient,
  TOOL_NAMES,
  type TransportKind,
} from '../test/mcp.ts';

const api = useTestApi({ ownDatabase: true });

describe.each<TransportKind>(['stdio', 'http'])('over %s', (kind) => {
  it('lists exactly the 21 tools, each with its schemas and annotations', async () => {
    const user = await api.user();
    const { client, close } = await connect(kind, api, user.token);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
      for (const tool of tools) {
        expect(tool.title).toBeTruthy();
        expect(tool.description).toBeTruthy();
        expect(tool.outputSchema).toBeDefined();
        expect(tool.annotations).toMatchObject({ openWorldHint: false });
        expect(typeof tool.annotations?.readOnlyHint).toBe('boolean');
        expect(typeof tool.annotations?.destructiveHint).toBe('boolean');
        expect(typeof tool.annotations?.idempotentHint).toBe('boolean');
        const properties = (tool.inputSchema.properties ?? {}) as Record<string, any>;
        for (const [name, property] of Object.entries(properties)) {
          const described = property.description ?? property.anyOf?.[0]?.description;
          expect([tool.name, name, typeof described]).toEqual([tool.name, name, 'string']);
        }
      }
    } finally {
      await close();
    }
  });

  it("runs the tools as the token's user", async () => {
    const user = await api.user();
    const { client, close } = await connect(kind, api, user.token);
    try {
      const added = await callTool(client, 'add_task', { title: `Via ${kind}` });
      expect(added.isError).toBe(false);
      const { data } = await user.gql('{ tasks { edges { node { id title } } } }');
      expect(data!.tasks.edges).toEqual([
        { node: { id: added.structured.id, title: `Via ${kind}` } },
      ]);
    } finally {
      await close();
    }
  });
});

it('keeps the full tools/list under 6,000 tokens (24,000 characters at ~4 per token)', async () => {
  const user = await api.user();
  const { client, close } = await connect('http', api, user.token);
  try {
    const { tools } = await client.listTools();
    const characters = JSON.stringify(tools).length;
    process.stderr.write(
      `tools/list: ${characters} characters, ~${Math.ceil(characters / 4)} tokens\n`,
    );
    expect(characters).toBeLessThan(24_000);
  } finally {
    await close();
  }
});

describe('/mcp over HTTP: no token, no tools', () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'curl', version: '1' },
    },
  };
  const post = (headers: Record<string, string>, body: unknown = initialize) =>
    fetch(`${api.app.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it('answers 401 without a token, before any MCP message is read', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect((await response.json()).error.message).toMatch(/Authorization: Bearer/);
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_tasks' } };
    expect((await post({}, call)).status).toBe(401);
  });

  it('answers 401 for a token the API does not accept', async () => {
    for (const authorization of ['Bearer not-a-jwt', 'Basic dXNlcjpwdw==']) {
      const response = await post({ authorization });
      expect(response.status).toBe(401);
    }
  });

  it('serves a valid token, and refuses GET in stateless mode', async () => {
    const user = await api.user();
    const authorization = `Bearer ${user.token}`;
    const response = await post({ authorization });
    expect(response.status).toBe(200);
    expect((await response.json()).result.serverInfo.name).toBe('todo-events');
    const get = await fetch(`${api.app.url}/mcp`, { headers: { authorization } });
    expect(get.status).toBe(405);
  });

  it('leaves GraphQL where it was', async () => {
    const user = await api.user();
    const { status, data } = await user.gql('{ me { id } }');
    expect([status, data]).toEqual([200, { me: { id: user.userId } }]);
  });
});

describe('stdio configuration and failures', () => {
  it('refuses to start without TODO_GRAPHQL_URL and TODO_API_TOKEN, saying how to fix them', () => {
    const { status, stdout, stderr } = spawnSync(process.execPath, [STDIO_ENTRY], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TODO_GRAPHQL_URL: 'localhost:4000' },
      encoding: 'utf8',
    });
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/TODO_GRAPHQL_URL "localhost:4000" is not an http\(s\) URL/);
    expect(stderr).toMatch(/TODO_API_TOKEN is not set/);
  });

  it('reports an unreachable API as a tool error', async () => {
    const { client, close } = await stdioClient({
      TODO_GRAPHQL_URL: 'http://127.0.0.1:9/graphql',
      TODO_API_TOKEN: 'some-token',
    });
    try {
      const result = await callTool(client, 'list_tasks');
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/unreachable.*TODO_GRAPHQL_URL/s);
    } finally {
      await close();
    }
  });

  it('reports a refused token (HTTP 401) as a tool error, and logs only to stderr', async () => {
    const { client, close, stderr } = await stdioClient({
      TODO_GRAPHQL_URL: api.url,
      TODO_API_TOKEN: 'not-a-jwt',
      LOG_LEVEL: 'info',
    });
    try {
      const result = await callTool(client, 'list_categories');
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/refused the token \(HTTP 401\)/);
      expect(stderr()).toMatch(/MCP adapter ready on stdio/);
    } finally {
      await close();
    }
  });
});
