import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GraphQLExecutor } from '../graphql-client.ts';
import { registerTool } from '../tool.ts';
import * as add_tag_to_task from './add_tag_to_task.ts';
import * as add_task from './add_task.ts';
import * as complete_task from './complete_task.ts';
import * as create_category from './create_category.ts';
import * as create_tag from './create_tag.ts';
import * as delete_category from './delete_category.ts';
import * as delete_tag from './delete_tag.ts';
import * as delete_task from './delete_task.ts';
import * as get_overdue_tasks from './get_overdue_tasks.ts';
import * as get_task from './get_task.ts';
import * as get_upcoming_tasks from './get_upcoming_tasks.ts';
import * as list_categories from './list_categories.ts';
import * as list_tags from './list_tags.ts';
import * as list_tasks from './list_tasks.ts';
import * as remove_tag_from_task from './remove_tag_from_task.ts';
import * as search_tasks from './search_tasks.ts';
import * as set_reminder from './set_reminder.ts';
import * as update_category from './update_category.ts';
import * as update_tag from './update_tag.ts';
import * as update_task from './update_task.ts';

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
