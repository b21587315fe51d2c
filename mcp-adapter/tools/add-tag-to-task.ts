import { IDEMPOTENT_WRITE } from '../annotations.ts';
import { taskTagTool } from '../families/task-tag-tools.ts';

export default taskTagTool({
  name: 'add_tag_to_task',
  title: 'Add tag to task',
  description: 'Put one of your tags on a task (at most 10 per task); adding it twice is harmless.',
  annotations: IDEMPOTENT_WRITE,
  field: 'addTagToTask',
  done: 'Tagged',
});
