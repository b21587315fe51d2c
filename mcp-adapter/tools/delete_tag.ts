import { TAG, deleteLabelTool } from '../label-tools.js';

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
