import { z } from 'zod';
import { withConstraintErrors } from '../db/constraint-errors.ts';
import {
  countTasksByLabel,
  deleteLabel as deleteLabelRow,
  findLabels,
  findTagsOfTasks,
  insertLabel,
  listLabels as listLabelRows,
  lockLabel,
  updateLabel as updateLabelRow,
  type LabelTable,
} from '../db/label-rows.ts';
import { clearCategory, lockTasks } from '../db/task-rows.ts';
import { removeTagFromAllTasks, taskIdsWithLabel, touchTasks } from '../db/task-tag-rows.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { recordTaskEvents } from './task-events.ts';
import { NotFoundError, ValidationError } from '../model/errors.ts';
import type { Scope } from './scope.ts';
import type { Label } from '../model/task.ts';
import { fields, parseInput } from '../model/validation.ts';

/** Categories and tags follow the same rules but for the length of their names. */
const KINDS = {
  categories: { entity: 'Category', name: fields.categoryName },
  tags: { entity: 'Tag', name: fields.tagName },
} as const;

const idOf = (kind: LabelTable, id: string) =>
  parseInput(fields.id(KINDS[kind].entity.toLowerCase()), id, 'id');

/** The user's categories or tags, by name. */
export function listLabels(scope: Scope, kind: LabelTable): Promise<Label[]> {
  return listLabelRows(scope.db, kind, scope.userId);
}

/** The user's categories or tags among `ids`. */
export function findLabelsByIds(
  scope: Scope,
  kind: LabelTable,
  ids: readonly string[],
): Promise<Label[]> {
  return findLabels(scope.db, kind, scope.userId, ids);
}

/** Creates a category or tag; names are unique per user, colours `#RRGGBB`. */
export function createLabel(
  scope: Scope,
  kind: LabelTable,
  raw: { name: string; color: string },
): Promise<Label> {
  const input = parseInput(z.object({ name: KINDS[kind].name, color: fields.color }), raw, 'input');
  return writeTransaction(scope.db, (trx) =>
    withConstraintErrors(() => insertLabel(trx, kind, { userId: scope.userId, ...input })),
  );
}

/** Renames or recolours a category or tag. */
export async function updateLabel(
  scope: Scope,
  kind: LabelTable,
  id: string,
  raw: { name?: string | null; color?: string | null },
): Promise<Label> {
  idOf(kind, id);
  const input = parseInput(
    z.object({ name: KINDS[kind].name.nullish(), color: fields.color.nullish() }),
    raw,
    'input',
  );
  const patch = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.color ? { color: input.color } : {}),
  };
  if (Object.keys(patch).length === 0) {
    throw new ValidationError('input', 'input must change name or color');
  }
  const label = await writeTransaction(scope.db, (trx) =>
    withConstraintErrors(() => updateLabelRow(trx, kind, scope.userId, id, patch)),
  );
  if (!label) throw new NotFoundError(KINDS[kind].entity, id);
  return label;
}

/**
 * Deletes a category (its tasks become uncategorised) or a tag (it is removed from its tasks),
 * and returns it as it was. Every task it leaves is locked and gets its task.updated event, also
 * one that came to carry it while the deletion waited: the lock on the label makes such an
 * assignment commit first, and the tasks are looked for again once it is held.
 */
export async function deleteLabel(scope: Scope, kind: LabelTable, id: string): Promise<Label> {
  idOf(kind, id);
  const { userId } = scope;
  const carrying = kind === 'categories' ? { categoryId: id } : { tagId: id };
  return writeTransaction(scope.db, async (trx) => {
    await lockTasks(trx, userId, await taskIdsWithLabel(trx, userId, carrying));
    const label = await lockLabel(trx, kind, userId, id);
    if (!label) throw new NotFoundError(KINDS[kind].entity, id);
    await lockTasks(trx, userId, await taskIdsWithLabel(trx, userId, carrying), { nowait: true });
    const tasks =
      kind === 'categories'
        ? await clearCategory(trx, userId, id)
        : await touchTasks(trx, userId, await removeTagFromAllTasks(trx, userId, id));
    await deleteLabelRow(trx, kind, userId, id);
    await recordTaskEvents(
      trx,
      { updated: [kind === 'categories' ? 'categoryId' : 'tagIds'] },
      tasks,
    );
    return label;
  });
}

/** The tags of each task, in the order of `taskIds`. */
export async function tagsOfTasks(scope: Scope, taskIds: readonly string[]): Promise<Label[][]> {
  const byTask = await findTagsOfTasks(scope.db, scope.userId, taskIds);
  return taskIds.map((id) => byTask.get(id) ?? []);
}

/** How many tasks carry each label, in the order of `ids`. */
export async function taskCounts(
  scope: Scope,
  kind: LabelTable,
  ids: readonly string[],
): Promise<number[]> {
  const counts = await countTasksByLabel(scope.db, kind, scope.userId, ids);
  return ids.map((id) => counts.get(id) ?? 0);
}
