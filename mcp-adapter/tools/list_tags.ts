import { z } from 'zod';
import { document } from '../graphql-client.ts';
import { describeLabel, LABEL_FIELDS, labelOutput, toLabel, type GqlLabel } from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'list_tags';
export const title = 'List tags';
export const description = 'Your tags, by name, with their task counts.';

export const inputSchema = z.strictObject({});

export const outputSchema = z.object({ tags: z.array(labelOutput) });

export const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<{ tags: GqlLabel[] }, Record<string, never>>(
  `query ListTags { tags { ${LABEL_FIELDS} } }`,
);

export async function handler(
  _input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { tags } = await call.query(DOCUMENT, {});
  const result = tags.map(toLabel);
  const lines = result.map((label) => `- ${describeLabel(label)}`);
  return { structured: { tags: result }, text: [`${result.length} tags.`, ...lines].join('\n') };
}
