import { DESTRUCTIVE } from '../annotations.ts';
import { taskTagTool } from '../families/task-tag-tools.ts';

export default taskTagTool({
  name: 'remove_tag_from_task',
  title: 'Remove tag from task',
  description: 'Take a tag off a task; removing one it does not have is harmless.',
  annotations: DESTRUCTIVE,
  field: 'removeTagFromTask',
  done: 'Untagged',
});
