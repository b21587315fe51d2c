/**
 * The arguments several tools take, with what an agent needs to fill them in, and how they
 * become GraphQL variables.
 */
import { z } from 'zod';
import { PRIORITIES } from './outputs.ts';
import type { GqlPriority } from './selections.ts';

/** The ids tools take; each says where an agent finds one. */
export const args = {
  taskId: z.string().describe('Task id (from task results).'),
  categoryId: z.string().describe('Category id (from list_categories).'),
  tagId: z.string().describe('Tag id (from list_tags).'),
};

/** The paging of every tool that answers a page of tasks. */
export const pagingArgs = {
  limit: z.number().describe('Page size 1-100 (default 20).').optional(),
  cursor: z.string().describe('next_cursor of the previous page.').optional(),
};

/** The GraphQL `first` and `after` for {@link pagingArgs}. */
export const toPaging = (page: { limit?: number | undefined; cursor?: string | undefined }) => ({
  first: page.limit,
  after: page.cursor,
});

/** The GraphQL paging variables. */
export type GqlPaging = ReturnType<typeof toPaging>;

/** The filters of list_tasks and search_tasks, as arguments. */
export const filterArgs = {
  status: z.enum(['all', 'pending', 'completed']).describe('Default all.').optional(),
  priorities: z.array(z.enum(PRIORITIES)).describe('Any of these.').optional(),
  category_id: args.categoryId.optional(),
  tag_ids: z.array(z.string()).describe('Tasks with any of these tags.').optional(),
  due_before: z.string().describe('ISO 8601; due strictly before.').optional(),
  due_after: z.string().describe('ISO 8601; due at or after.').optional(),
};

/** The GraphQL `TaskFilterInput` for {@link filterArgs}. */
function toFilter(filter: z.output<z.ZodObject<typeof filterArgs>>) {
  return {
    status: filter.status?.toUpperCase() as 'ALL' | 'PENDING' | 'COMPLETED' | undefined,
    priorities: filter.priorities?.map((p) => p.toUpperCase() as GqlPriority),
    categoryId: filter.category_id,
    tagIds: filter.tag_ids,
    dueBefore: filter.due_before,
    dueAfter: filter.due_after,
  };
}

/** The GraphQL `filter`, `first` and `after` of list_tasks and search_tasks. */
export const toFilteredPage = (
  input: z.output<z.ZodObject<typeof filterArgs & typeof pagingArgs>>,
) => ({ filter: toFilter(input), ...toPaging(input) });

/** The GraphQL variables {@link toFilteredPage} makes. */
export type GqlFilteredPage = ReturnType<typeof toFilteredPage>;
