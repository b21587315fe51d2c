import { findNextInstances } from '../../db/task-rows.ts';
import type { Scope } from '../scope.ts';
import type { Task } from '../../model/task.ts';

/** The next instance of each completed task, in the order of `taskIds` (null while none exists). */
export async function nextInstancesOf(
  scope: Scope,
  taskIds: readonly string[],
): Promise<(Task | null)[]> {
  const next = await findNextInstances(scope.db, scope.userId, taskIds);
  const byPrevious = new Map(next.map((task) => [task.previousTaskId, task]));
  return taskIds.map((id) => byPrevious.get(id) ?? null);
}
