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

export const name = 'delete_category';
export const title = 'Delete category';
export const description = 'Delete a category; its tasks become uncategorised.';

export const inputSchema = z.strictObject({ category_id: args.categoryId });

export const outputSchema = labelOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { deleteCategory: { __typename: 'DeleteCategorySuccess'; category: GqlLabel } | TypedError },
  { id: string }
>(`mutation DeleteCategory($id: ID!) {
  deleteCategory(id: $id) { ${ERROR_FIELDS} ... on DeleteCategorySuccess { category { ${LABEL_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { category } = await call.mutation(DOCUMENT, { id: input.category_id }, 'deleteCategory');
  const result = toLabel(category);
  return { structured: result, text: `Deleted category ${describeLabel(result)}` };
}
