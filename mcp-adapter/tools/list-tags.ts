import { listLabelsTool, TAG } from '../families/label-tools.ts';

export default listLabelsTool(TAG, 'Your tags, by name, with their task counts.');
