import { z } from 'zod';
import { document } from '../graphql-client.ts';
import { describeLabel, LABEL_FIELDS, labelOutput, toLabel, type GqlLabel } from '../shapes.ts';
import type { ToolCall, ToolOutput } from '../tool.ts';

export const name = 'list_categories';
export const title = 'List categories';
export const description = 'Your categories, by name, with their task counts.';

export const inputSchema = z.strictObject({});

export const outputSchema = z.object({ categories: z.array(labelOutput) });

export const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DOCUMENT = document<{ categories: GqlLabel[] }, Record<string, never>>(
  `query ListCategories { categories { ${LABEL_FIELDS} } }`,
);

export async function handler(
  _input: z.output<typeof inputSchema>,
  call: ToolCall,
): Promise<ToolOutput<z.output<typeof outputSchema>>> {
  const { categories } = await call.query(DOCUMENT, {});
  const result = categories.map(toLabel);
  const lines = result.map((label) => `- ${describeLabel(label)}`);
  return {
    structured: { categories: result },
    text: [`${result.length} categories.`, ...lines].join('\n'),
  };
}
