import { CATEGORY, updateLabelTool } from '../label-tools.ts';

export const {
  name,
  title,
  description,
  inputSchema,
  outputSchema,
  annotations,
  DOCUMENT,
  handler,
} = updateLabelTool(CATEGORY, 'Rename or recolour a category: give name, color or both.');
