import { z } from 'zod';
import { withConstraintErrors } from '../db/constraint-errors.ts';
import {
  countTasksByLabel,
  deleteLabel as deleteLabelRow,
  findLabels,
  findTagsOfTasks,
  insertLabel,
  listLabels as listLabelRows,
  updateLabel as updateLabelRow,
  type LabelTable,
} from '../db/label-rows.ts';
import { lockTasksWithLabel, touchTasks } from '../db/task-tag-rows.ts';
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
  return scope.db.transaction((trx) =>
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
  const label = await scope.db.transaction((trx) =>
    withConstraintErrors(() => updateLabelRow(trx, kind, scope.userId, id, patch)),
  );
  if (!label) throw new NotFoundError(KINDS[kind].entity, id);
  return label;
}

/**
 * Deletes a category (its tasks become uncategorised) or a tag (it is removed from its tasks),
 * and returns it as it was.
 */
export async function deleteLabel(scope: Scope, kind: LabelTable, id: string): Promise<Label> {
  idOf(kind, id);
  return scope.db.transaction(async (trx) => {
    const taskIds = await lockTasksWithLabel(
      trx,
      scope.userId,
      kind === 'categories' ? { categoryId: id } : { tagId: id },
    );
    const label = await deleteLabelRow(trx, kind, scope.userId, id);
    if (!label) throw new NotFoundError(KINDS[kind].entity, id);
    const changed = kind === 'categories' ? 'categoryId' : 'tagIds';
    await recordTaskEvents(
      trx,
      { updated: [changed] },
      await touchTasks(trx, scope.userId, taskIds),
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
