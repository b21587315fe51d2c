import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { TypedError } from './errors.ts';
import type { Document } from './graphql-client.ts';

/** What a handler answers: the structured result and a short summary for the agent. */
export interface ToolOutput<T> {
  structured: T;
  text: string;
}

/** The GraphQL calls a handler makes; every failure becomes a `ToolError`. */
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

/** One MCP tool: what tools/list shows of it, the GraphQL it runs, and its handler. */
export interface Tool<Input extends z.ZodObject, Output extends z.ZodObject> {
  /** The snake_case name agents call it by: part of the contract, never renamed. */
  name: string;
  title: string;
  description: string;
  /** One of the presets in `annotations.ts`. */
  annotations: ToolAnnotations;
  inputSchema: Input;
  outputSchema: Output;
  /** Every GraphQL document the handler runs (`documents.spec.ts` validates them). */
  documents: readonly string[];
  handler(args: z.output<Input>, call: ToolCall): Promise<ToolOutput<z.output<Output>>>;
}

/** Any tool, as the registry holds them: its handler takes the arguments its schema parsed. */
export type AnyTool = Omit<Tool<z.ZodObject, z.ZodObject>, 'handler'> & {
  handler(args: never, call: ToolCall): Promise<ToolOutput<unknown>>;
};

/**
 * Declares a tool. The handler's arguments and result are typed by `inputSchema` and
 * `outputSchema`, so a tool file states no types of its own.
 */
export const defineTool = <Input extends z.ZodObject, Output extends z.ZodObject>(
  tool: Tool<Input, Output>,
): Tool<Input, Output> => tool;
