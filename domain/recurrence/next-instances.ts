import { findNextInstances } from '../../server/db/task-rows.js';
import type { Scope } from '../scope.js';
import type { Task } from '../task.js';

/** The next instance of each completed task, in the order of `taskIds` (null while none exists). */
export async function nextInstancesOf(
  scope: Scope,
  taskIds: readonly string[],
): Promise<(Task | null)[]> {
  const next = await findNextInstances(scope.db, scope.userId, taskIds);
  const byPrevious = new Map(next.map((task) => [task.previousTaskId, task]));
  return taskIds.map((id) => byPrevious.get(id) ?? null);
}
