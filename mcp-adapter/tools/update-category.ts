import { CATEGORY, updateLabelTool } from '../families/label-tools.ts';

export default updateLabelTool(
  CATEGORY,
  'Rename or recolour a category: give name, color or both.',
);
