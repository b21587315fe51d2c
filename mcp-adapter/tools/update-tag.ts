import { TAG, updateLabelTool } from '../families/label-tools.ts';

export default updateLabelTool(TAG, 'Rename or recolour a tag: give name, color or both.');
