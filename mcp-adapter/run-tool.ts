import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  describeGraphQLErrors,
  describeTypedError,
  isTypedError,
  ToolError,
  type CallContext,
} from './errors.ts';
import { GraphQLTransportError, type GraphQLExecutor } from './graphql-client.ts';
import type { AnyTool, ToolCall } from './tool.ts';

function toolCall(gql: GraphQLExecutor, context: CallContext): ToolCall {
  const notFound = (entity: 'Task' | 'Category' | 'Tag', id: string): never => {
    const message = `${entity} ${id} does not exist.`;
    throw describeTypedError({ __typename: 'NotFoundError', message, entity, id }, context);
  };
  return {
    async query(document, variables) {
      const { data, errors } = await gql(document, variables);
      if (errors?.length || !data) throw describeGraphQLErrors(errors ?? [], context);
      return data;
    },
    async mutation(document, variables, field) {
      const data = await this.query(document, variables);
      const payload = data[field] as { __typename: string };
      if (isTypedError(payload)) throw describeTypedError(payload, context);
      return payload as never;
    },
    notFound,
  };
}

/** Runs a tool's handler and turns every expected failure into an `isError` result. */
export async function runTool(
  tool: AnyTool,
  args: unknown,
  gql: GraphQLExecutor,
): Promise<CallToolResult> {
  const context: CallContext = {
    tool: tool.name,
    argNames: Object.keys(tool.inputSchema.shape),
    readOnly: tool.annotations.readOnlyHint === true,
  };
  try {
    const { structured, text } = await tool.handler(args as never, toolCall(gql, context));
    return {
      content: [{ type: 'text', text }],
      structuredContent: structured as Record<string, unknown>,
    };
  } catch (error) {
    if (error instanceof ToolError || error instanceof GraphQLTransportError) {
      return { content: [{ type: 'text', text: error.message }], isError: true };
    }
    throw error;
  }
}

/** Registers `tool` on `server`, its calls executed by `gql`. */
export function registerTool(server: McpServer, tool: AnyTool, gql: GraphQLExecutor): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
    },
    (args) => runTool(tool, args, gql),
  );
}
