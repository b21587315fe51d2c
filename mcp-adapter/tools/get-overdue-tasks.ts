import { dueTasksTool } from '../families/due-tasks-tools.ts';

export default dueTasksTool({
  name: 'get_overdue_tasks',
  title: 'Overdue tasks',
  description: 'Pending tasks whose due date has passed, most overdue first.',
  field: 'overdueTasks',
});
