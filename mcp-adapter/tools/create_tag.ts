import { TAG, createLabelTool } from '../label-tools.ts';

export const {
  name,
  title,
  description,
  inputSchema,
  outputSchema,
  annotations,
  DOCUMENT,
  handler,
} = createLabelTool(
  TAG,
  'Create a tag (at most 100 per user); put it on tasks with add_tag_to_task.',
);
