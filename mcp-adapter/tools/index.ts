import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GraphQLExecutor } from '../graphql-client.ts';
import { registerTool } from '../run-tool.ts';
import type { AnyTool } from '../tool.ts';
import addTagToTask from './add-tag-to-task.ts';
import addTask from './add-task.ts';
import completeTask from './complete-task.ts';
import createCategory from './create-category.ts';
import createTag from './create-tag.ts';
import deleteCategory from './delete-category.ts';
import deleteTag from './delete-tag.ts';
import deleteTask from './delete-task.ts';
import getOverdueTasks from './get-overdue-tasks.ts';
import getTask from './get-task.ts';
import getUpcomingTasks from './get-upcoming-tasks.ts';
import listCategories from './list-categories.ts';
import listTags from './list-tags.ts';
import listTasks from './list-tasks.ts';
import removeTagFromTask from './remove-tag-from-task.ts';
import searchTasks from './search-tasks.ts';
import setReminder from './set-reminder.ts';
import snoozeReminder from './snooze-reminder.ts';
import updateCategory from './update-category.ts';
import updateTag from './update-tag.ts';
import updateTask from './update-task.ts';

/** Every tool, in the order tools/list shows them. */
export const TOOLS: readonly AnyTool[] = [
  addTask,
  listTasks,
  getTask,
  updateTask,
  deleteTask,
  completeTask,
  createCategory,
  listCategories,
  updateCategory,
  deleteCategory,
  createTag,
  listTags,
  updateTag,
  deleteTag,
  addTagToTask,
  removeTagFromTask,
  searchTasks,
  setReminder,
  snoozeReminder,
  getOverdueTasks,
  getUpcomingTasks,
];

/** Registers every tool on `server`; each call runs as the caller `gql` stands for. */
export function registerTools(server: McpServer, gql: GraphQLExecutor): void {
  for (const tool of TOOLS) registerTool(server, tool, gql);
}
