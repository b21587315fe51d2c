import { CATEGORY, deleteLabelTool } from '../families/label-tools.ts';

export default deleteLabelTool(CATEGORY, 'Delete a category; its tasks become uncategorised.');
