import { CATEGORY, deleteLabelTool } from '../label-tools.ts';

export const {
  name,
  title,
  description,
  inputSchema,
  outputSchema,
  annotations,
  DOCUMENT,
  handler,
} = deleteLabelTool(CATEGORY, 'Delete a category; its tasks become uncategorised.');
