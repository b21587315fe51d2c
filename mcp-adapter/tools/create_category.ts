import { CATEGORY, createLabelTool } from '../label-tools.ts';

export const {
  name,
  title,
  description,
  inputSchema,
  outputSchema,
  annotations,
  DOCUMENT,
  handler,
} = createLabelTool(
  CATEGORY,
  'Create a category (at most 50 per user). A task has at most one category.',
);
