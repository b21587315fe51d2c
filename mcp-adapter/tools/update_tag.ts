import { TAG, updateLabelTool } from '../label-tools.ts';

export const {
  name,
  title,
  description,
  inputSchema,
  outputSchema,
  annotations,
  DOCUMENT,
  handler,
} = updateLabelTool(TAG, 'Rename or recolour a tag: give name, color or both.');
