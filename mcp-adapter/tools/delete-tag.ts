import { deleteLabelTool, TAG } from '../families/label-tools.ts';

export default deleteLabelTool(TAG, 'Delete a tag; it is removed from every task.');
