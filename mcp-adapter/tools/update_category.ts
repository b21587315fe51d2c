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

export const name = 'update_category';
export const title = 'Update category';
export const description = 'Rename or recolour a category: give name, color or both.';

export const inputSchema = z.strictObject({
  category_id: args.categoryId,
  name: args.name(50).optional(),
  color: args.color.optional(),
});

export const outputSchema = labelOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { updateCategory: { __typename: 'UpdateCategorySuccess'; category: GqlLabel } | TypedError },
  { id: string; input: { name?: string | undefined; color?: string | undefined } }
>(`mutation UpdateCategory($id: ID!, $input: UpdateCategoryInput!) {
  updateCategory(id: $id, input: $input) {
    ${ERROR_FIELDS} ... on UpdateCategorySuccess { category { ${LABEL_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { category } = await call.mutation(
    DOCUMENT,
    { id: input.category_id, input: { name: input.name, color: input.color } },
    'updateCategory',
  );
  const result = toLabel(category);
  return { structured: result, text: `Updated category ${describeLabel(result)}` };
}
