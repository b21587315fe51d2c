import type { LabelTable } from '../db/label-rows.ts';
import {
  createLabel,
  deleteLabel,
  findLabelsByIds,
  listLabels,
  taskCounts,
  updateLabel,
} from '../domain/labels.ts';
import { LIMITS } from '../model/limits.ts';
import type { Label } from '../model/task.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { scopeOf } from './scope.ts';

/**
 * Categories and tags are the same kind of thing (a named, coloured label), so one definition
 * makes both: the types, their list query, and their create, update and delete mutations.
 */
function defineLabel(
  kind: LabelTable,
  names: { type: string; singular: string; plural: string },
  maxName: number,
) {
  const { type, singular, plural } = names;
  const ref = builder.loadableObject(type, {
    load: (ids: string[], ctx) => findLabelsByIds(scopeOf(ctx), kind, ids),
    sort: (label: Label) => label.id,
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name', {
        description: `Unique per user (case-sensitive), 1-${maxName} characters.`,
      }),
      color: t.exposeString('color', { description: 'A colour in the form #RRGGBB.' }),
      taskCount: t.loadable({
        type: 'Int',
        description: `How many tasks carry this ${singular}.`,
        load: (ids: string[], ctx) => taskCounts(scopeOf(ctx), kind, ids),
        resolve: (label) => label.id,
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const CreateInput = builder.inputType(`Create${type}Input`, {
    fields: (t) => ({
      name: t.string({ required: true, description: `1-${maxName} characters, unique per user.` }),
      color: t.string({
        required: true,
        description: 'A colour in the form #RRGGBB, e.g. #3B82F6.',
      }),
    }),
  });
  const UpdateInput = builder.inputType(`Update${type}Input`, {
    fields: (t) => ({
      name: t.string({ description: `1-${maxName} characters, unique per user.` }),
      color: t.string({ description: 'A colour in the form #RRGGBB.' }),
    }),
  });

  builder.queryField(plural, (t) =>
    t.field({
      type: [ref],
      description: `The signed-in user's ${plural}, by name.`,
      resolve: (_root, _args, ctx) => listLabels(scopeOf(ctx), kind),
    }),
  );

  builder.mutationFields((t) => ({
    [`create${type}`]: t.field({
      type: ref,
      args: { input: t.arg({ type: CreateInput, required: true }) },
      errors: { types: MUTATION_ERRORS, dataField: { name: singular } },
      resolve: (_root, { input }, ctx) => createLabel(scopeOf(ctx), kind, input),
    }),
    [`update${type}`]: t.field({
      type: ref,
      args: {
        id: t.arg.id({ required: true }),
        input: t.arg({ type: UpdateInput, required: true }),
      },
      errors: { types: MUTATION_ERRORS, dataField: { name: singular } },
      resolve: (_root, { id, input }, ctx) => updateLabel(scopeOf(ctx), kind, String(id), input),
    }),
    [`delete${type}`]: t.field({
      type: ref,
      description:
        kind === 'categories'
          ? 'Deletes a category; its tasks become uncategorised.'
          : 'Deletes a tag; it is removed from every task.',
      args: { id: t.arg.id({ required: true }) },
      errors: { types: MUTATION_ERRORS, dataField: { name: singular } },
      resolve: (_root, { id }, ctx) => deleteLabel(scopeOf(ctx), kind, String(id)),
    }),
  }));
  return ref;
}

/** A category: tasks have at most one. */
export const Category = defineLabel(
  'categories',
  { type: 'Category', singular: 'category', plural: 'categories' },
  LIMITS.categoryNameLength,
);

/** A tag: tasks have up to ten. */
export const Tag = defineLabel(
  'tags',
  { type: 'Tag', singular: 'tag', plural: 'tags' },
  LIMITS.tagNameLength,
);
