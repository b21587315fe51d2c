import type { Priority } from './task.ts';

/** Which tasks a list shows. Every filter combines with every other (AND). */
export interface TaskFilter {
  status: 'all' | 'pending' | 'completed';
  priorities?: Priority[];
  categoryId?: string;
  /** Tasks carrying any of these tags. */
  tagIds?: string[];
  /** Due strictly before this moment. */
  dueBefore?: Date;
  /** Due at or after this moment. */
  dueAfter?: Date;
}

export const ORDER_FIELDS = ['created_at', 'updated_at', 'due_date', 'priority', 'title'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** How a list is sorted; ties are broken by id so pages never overlap or skip. */
export interface TaskOrder {
  field: OrderField;
  direction: 'asc' | 'desc';
}

export const DEFAULT_ORDER: TaskOrder = { field: 'created_at', direction: 'desc' };

/** A page request: up to `first` items after the opaque cursor `after`. */
export interface PageRequest {
  first: number;
  after?: string;
}

/** One page of a list; `cursor` of each item resumes after it. */
export interface Page<T> {
  items: { node: T; cursor: string }[];
  hasNextPage: boolean;
}

/** A search hit: the task, its rank (higher is better) and a highlighted snippet. */
export interface SearchHit<T> {
  task: T;
  rank: number | null;
  highlight: string | null;
}
