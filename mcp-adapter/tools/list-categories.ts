import { CATEGORY, listLabelsTool } from '../families/label-tools.ts';

export default listLabelsTool(CATEGORY, 'Your categories, by name, with their task counts.');
