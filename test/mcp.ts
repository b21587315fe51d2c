import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** The repository root, where {@link STDIO_ENTRY} is started from. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The stdio adapter's entry point, relative to {@link ROOT} (what `npm run mcp` runs). */
export const STDIO_ENTRY = 'mcp-adapter/transports/stdio.ts';

/** The transports the adapter offers. */
export type TransportKind = 'stdio' | 'http';

/** An MCP client of the adapter and what its server process wrote to stderr. */
export interface TestClient {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** A tool call's result, flattened for assertions. */
export interface CallResult {
  isError: boolean;
  text: string;
  structured: Record<string, any>;
}

/** Starts {@link STDIO_ENTRY} as a child process with `env` and connects to it. */
export async function stdioClient(env: Record<string, string>): Promise<TestClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [STDIO_ENTRY],
    cwd: ROOT,
    env: { ...getDefaultEnvironment(), LOG_LEVEL: 'warn', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Connects to the adapter at `${appUrl}/mcp` with the caller's bearer token. */
export async function httpClient(appUrl: string, token: string): Promise<TestClient> {
  const transport = new StreamableHTTPClientTransport(new URL(`${appUrl}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => '', close: () => client.close() };
}

/** A client over `kind` for the API at `apiUrl` (the GraphQL URL) as the bearer of `token`. */
export function connect(
  kind: TransportKind,
  api: { url: string; app: { url: string } },
  token: string,
): Promise<TestClient> {
  return kind === 'stdio'
    ? stdioClient({ TODO_GRAPHQL_URL: api.url, TODO_API_TOKEN: token })
    : httpClient(api.app.url, token);
}

/** Calls a tool and flattens its result. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallResult> {
  const result = await client.callTool({ name, arguments: args });
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return {
    isError: result.isError === true,
    text: content.map((part) => part.text ?? '').join('\n'),
    structured: (result.structuredContent ?? {}) as Record<string, any>,
  };
}

/** The 21 tool names, the contract with agents. */
export const TOOL_NAMES = [
  'add_task',
  'list_tasks',
  'get_task',
  'update_task',
  'delete_task',
  'complete_task',
  'create_category',
  'list_categories',
  'update_category',
  'delete_category',
  'create_tag',
  'list_tags',
  'update_tag',
  'delete_tag',
  'add_tag_to_task',
  'remove_tag_from_task',
  'search_tasks',
  'set_reminder',
  'snooze_reminder',
  'get_overdue_tasks',
  'get_upcoming_tasks',
];
