import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GraphQLExecutor } from './graphql-client.ts';
import { registerTools } from './tools/index.ts';

/** The adapter's name and version, as MCP clients see them. */
export const SERVER_INFO = { name: 'todo-events', version: '0.1.0' };

/**
 * The MCP server with every task tool; each tool call runs its GraphQL document through `gql`,
 * which carries the caller's token.
 */
export function createMcpServer(gql: GraphQLExecutor): McpServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions:
      'Manage your tasks, categories and tags. Ids come from earlier results (list_* tools). ' +
      'Dates are ISO 8601 with offset.',
  });
  registerTools(server, gql);
  return server;
}
