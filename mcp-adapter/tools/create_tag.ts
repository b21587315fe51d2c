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

export const name = 'create_tag';
export const title = 'Create tag';
export const description =
  'Create a tag (at most 100 per user); put it on tasks with add_tag_to_task.';

export const inputSchema = z.strictObject({
  name: args.name(30),
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
  { createTag: { __typename: 'CreateTagSuccess'; tag: GqlLabel } | TypedError },
  { input: { name: string; color: string } }
>(`mutation CreateTag($input: CreateTagInput!) {
  createTag(input: $input) { ${ERROR_FIELDS} ... on CreateTagSuccess { tag { ${LABEL_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { tag } = await call.mutation(
    DOCUMENT,
    { input: { name: input.name, color: input.color } },
    'createTag',
  );
  const result = toLabel(tag);
  return { structured: result, text: `Created tag ${describeLabel(result)}` };
}
