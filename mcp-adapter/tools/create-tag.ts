import { createLabelTool, TAG } from '../families/label-tools.ts';

export default createLabelTool(
  TAG,
  'Create a tag (at most 100 per user); put it on tasks with add_tag_to_task.',
);
