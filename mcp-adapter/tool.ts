import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import {
  describeGraphQLErrors,
  describeTypedError,
  isTypedError,
  ToolError,
  type CallContext,
  type TypedError,
} from './errors.ts';
import { GraphQLTransportError, type Document, type GraphQLExecutor } from './graphql-client.ts';

/** What a handler answers: the structured result and a short summary for the agent. */
export interface ToolOutput<T> {
  structured: T;
  text: string;
}

/** The GraphQL calls a handler makes; every failure becomes a {@link ToolError}. */
export interface ToolCall {
  /** Runs a query and returns its data. */
  query<TData, TVariables>(
    document: Document<TData, TVariables>,
    variables: TVariables,
  ): Promise<TData>;
  /** Runs a mutation and returns the success payload of its result union at `field`. */
  mutation<TData, TVariables, K extends keyof TData>(
    document: Document<TData, TVariables>,
    variables: TVariables,
    field: K,
  ): Promise<Exclude<TData[K], TypedError>>;
  /** Throws the not-found text for a missing entity. */
  notFound(entity: 'Task' | 'Category' | 'Tag', id: string): never;
}

/** One MCP tool, as each `tools/<tool-name>.ts` exports it. */
export interface Tool<Input extends z.ZodObject, Output extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  inputSchema: Input;
  outputSchema: Output;
  handler(args: z.output<Input>, call: ToolCall): Promise<ToolOutput<z.output<Output>>>;
}

/** Any tool, as the registry holds them: its handler takes the arguments its schema parsed. */
export type AnyTool = Omit<Tool<z.ZodObject, z.ZodObject>, 'handler'> & {
  handler(args: never, call: ToolCall): Promise<ToolOutput<unknown>>;
};

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
