import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GraphQLExecutor } from '../graphql-client.js';
import { registerTool } from '../tool.js';
import * as add_tag_to_task from './add_tag_to_task.js';
import * as add_task from './add_task.js';
import * as complete_task from './complete_task.js';
import * as create_category from './create_category.js';
import * as create_tag from './create_tag.js';
import * as delete_category from './delete_category.js';
import * as delete_tag from './delete_tag.js';
import * as delete_task from './delete_task.js';
import * as get_overdue_tasks from './get_overdue_tasks.js';
import * as get_task from './get_task.js';
import * as get_upcoming_tasks from './get_upcoming_tasks.js';
import * as list_categories from './list_categories.js';
import * as list_tags from './list_tags.js';
import * as list_tasks from './list_tasks.js';
import * as remove_tag_from_task from './remove_tag_from_task.js';
import * as search_tasks from './search_tasks.js';
import * as set_reminder from './set_reminder.js';
import * as update_category from './update_category.js';
import * as update_tag from './update_tag.js';
import * as update_task from './update_task.js';

/** Every tool module, by tool name, in the order tools/list shows them. */
export const TOOLS = {
  add_task,
  list_tasks,
  get_task,
  update_task,
  delete_task,
  complete_task,
  create_category,
  list_categories,
  update_category,
  delete_category,
  create_tag,
  list_tags,
  update_tag,
  delete_tag,
  add_tag_to_task,
  remove_tag_from_task,
  search_tasks,
  set_reminder,
  get_overdue_tasks,
  get_upcoming_tasks,
};

/** Registers every tool on `server`; each call runs as the caller `gql` stands for. */
export function registerTools(server: McpServer, gql: GraphQLExecutor): void {
  for (const tool of Object.values(TOOLS)) registerTool(server, tool, gql);
}
