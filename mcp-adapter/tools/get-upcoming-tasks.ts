import { dueTasksTool } from '../families/due-tasks-tools.ts';

export default dueTasksTool({
  name: 'get_upcoming_tasks',
  title: 'Upcoming tasks',
  description: 'Pending tasks due within the next hours, soonest first.',
  field: 'upcomingTasks',
});
