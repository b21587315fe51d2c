/**
 * The MCP adapter over stdio (`npm run mcp`): stdout carries the protocol, logs go to stderr.
 * Configured by TODO_GRAPHQL_URL and TODO_API_TOKEN.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { pino } from 'pino';
import { createGraphQLClient } from '../graphql-client.ts';
import { createMcpServer } from '../server.ts';
import { readStdioConfig, StdioConfigError, type StdioConfig } from './stdio-config.ts';
import { WHO_AM_I } from './who-am-i.ts';

const logger = pino(
  { name: 'todo-mcp', level: process.env.LOG_LEVEL ?? 'info' },
  pino.destination(2),
);

let config: StdioConfig;
try {
  config = readStdioConfig(process.env);
} catch (error) {
  if (!(error instanceof StdioConfigError)) throw error;
  process.stderr.write(`todo-events MCP adapter cannot start:\n${error.message}\n`);
  process.exit(2);
}

const gql = createGraphQLClient({ url: config.graphqlUrl, token: config.token });
const server = createMcpServer(gql);
await server.connect(new StdioServerTransport());
logger.info({ graphqlUrl: config.graphqlUrl }, 'MCP adapter ready on stdio');

// Say early when the token or the URL is wrong; the tools report it too, so this never exits.
gql(WHO_AM_I, {}).then(
  ({ data }) => logger.info({ userId: data?.me.id }, 'signed in'),
  (error: unknown) => logger.warn({ err: error }, 'the API did not accept the call yet'),
);

const shutdown = () => {
  void server.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
