import { TAG, deleteLabelTool } from '../label-tools.ts';

export const {
  name,
  title,
  description,
  inputSchema,
  outputSchema,
  annotations,
  DOCUMENT,
  handler,
} = deleteLabelTool(TAG, 'Delete a tag; it is removed from every task.');
