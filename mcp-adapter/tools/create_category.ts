import { z } from 'zod';
import { document } from '../graphql-client.js';
import { ERROR_FIELDS, type TypedError } from '../errors.js';
import {
  args,
  describeLabel,
  LABEL_FIELDS,
  labelOutput,
  toLabel,
  type GqlLabel,
} from '../shapes.js';
import type { ToolCall, ToolOutput } from '../tool.js';

export const name = 'create_category';
export const title = 'Create category';
export const description =
  'Create a category (at most 50 per user). A task has at most one category.';

export const inputSchema = z.strictObject({
  name: args.name(50),
  color: args.color.describe('#RRGGBB (default #6B7280).').default('#6B7280'),
});

export const outputSchema = labelOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { createCategory: { __typename: 'CreateCategorySuccess'; category: GqlLabel } | TypedError },
  { input: { name: string; color: string } }
>(`mutation CreateCategory($input: CreateCategoryInput!) {
  createCategory(input: $input) { ${ERROR_FIELDS} ... on CreateCategorySuccess { category { ${LABEL_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { category } = await call.mutation(
    DOCUMENT,
    { input: { name: input.name, color: input.color } },
    'createCategory',
  );
  const result = toLabel(category);
  return { structured: result, text: `Created category ${describeLabel(result)}` };
}
