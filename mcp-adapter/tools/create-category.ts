import { CATEGORY, createLabelTool } from '../families/label-tools.ts';

export default createLabelTool(
  CATEGORY,
  'Create a category (at most 50 per user). A task has at most one category.',
);
