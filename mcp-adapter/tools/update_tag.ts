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

export const name = 'update_tag';
export const title = 'Update tag';
export const description = 'Rename or recolour a tag: give name, color or both.';

export const inputSchema = z.strictObject({
  tag_id: args.tagId,
  name: args.name(30).optional(),
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
  { updateTag: { __typename: 'UpdateTagSuccess'; tag: GqlLabel } | TypedError },
  { id: string; input: { name?: string | undefined; color?: string | undefined } }
>(`mutation UpdateTag($id: ID!, $input: UpdateTagInput!) {
  updateTag(id: $id, input: $input) {
    ${ERROR_FIELDS} ... on UpdateTagSuccess { tag { ${LABEL_FIELDS} } }
  }
}`);

export async function handler(
  input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { tag } = await call.mutation(
    DOCUMENT,
    { id: input.tag_id, input: { name: input.name, color: input.color } },
    'updateTag',
  );
  const result = toLabel(tag);
  return { structured: result, text: `Updated tag ${describeLabel(result)}` };
}
