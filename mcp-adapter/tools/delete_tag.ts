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

export const name = 'delete_tag';
export const title = 'Delete tag';
export const description = 'Delete a tag; it is removed from every task.';

export const inputSchema = z.strictObject({ tag_id: args.tagId });

export const outputSchema = labelOutput;

export const annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<
  { deleteTag: { __typename: 'DeleteTagSuccess'; tag: GqlLabel } | TypedError },
  { id: string }
>(`mutation DeleteTag($id: ID!) {
  deleteTag(id: $id) { ${ERROR_FIELDS} ... on DeleteTagSuccess { tag { ${LABEL_FIELDS} } } }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { tag } = await call.mutation(DOCUMENT, { id: input.tag_id }, 'deleteTag');
  const result = toLabel(tag);
  return { structured: result, text: `Deleted tag ${describeLabel(result)}` };
}
