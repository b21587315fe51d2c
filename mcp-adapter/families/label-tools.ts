/**
 * Categories and tags are the same kind of label: one definition of each verb makes the tools
 * of both (`create_category`, `create_tag`, ...).
 */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DESTRUCTIVE, READ_ONLY, WRITE } from '../annotations.ts';
import { ERROR_FIELDS, type TypedError } from '../errors.ts';
import { args } from '../shapes/args.ts';
import { labelOutput, toLabel } from '../shapes/outputs.ts';
import { LABEL_FIELDS, operation, type GqlLabel } from '../shapes/selections.ts';
import { describeLabel } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

/** What tells a category from a tag. */
export interface LabelKind {
  type: 'Category' | 'Tag';
  field: 'category' | 'tag';
  plural: 'categories' | 'tags';
  idArg: 'category_id' | 'tag_id';
  maxName: number;
}

export const CATEGORY: LabelKind = {
  type: 'Category',
  field: 'category',
  plural: 'categories',
  idArg: 'category_id',
  maxName: 50,
};
export const TAG: LabelKind = {
  type: 'Tag',
  field: 'tag',
  plural: 'tags',
  idArg: 'tag_id',
  maxName: 30,
};

type Payload = Record<string, Record<string, GqlLabel> | TypedError>;

const idOf = (kind: LabelKind) => (kind.type === 'Category' ? args.categoryId : args.tagId);
const nameOf = (kind: LabelKind) =>
  z.string().describe(`1-${kind.maxName} characters, unique per user.`);
const color = z.string().describe('#RRGGBB, e.g. #3B82F6.');

/** A label mutation tool: `verb` names it, its GraphQL mutation and what its text says. */
function labelMutationTool<Input extends z.ZodObject>(
  kind: LabelKind,
  verb: 'Create' | 'Update' | 'Delete',
  spec: {
    description: string;
    inputSchema: Input;
    annotations: ToolAnnotations;
    /** The GraphQL variable declarations, e.g. `$id: ID!`. */
    variables: string;
    toVariables: (input: z.output<Input>) => Record<string, unknown>;
    done: string;
  },
) {
  const mutation = `${verb.toLowerCase()}${kind.type}`;
  const DOCUMENT = operation<Payload, Record<string, unknown>>({
    kind: 'mutation',
    field: mutation,
    variables: spec.variables,
    selection: `${ERROR_FIELDS} ... on ${verb}${kind.type}Success { ${kind.field} { ${LABEL_FIELDS} } }`,
  });
  return defineTool({
    name: `${verb.toLowerCase()}_${kind.field}`,
    title: `${verb} ${kind.field}`,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema: spec.inputSchema,
    outputSchema: labelOutput,
    documents: [DOCUMENT],
    async handler(input, call) {
      const payload = await call.mutation(DOCUMENT, spec.toVariables(input), mutation);
      const result = toLabel((payload as Record<string, GqlLabel>)[kind.field]!);
      return { structured: result, text: `${spec.done} ${kind.field} ${describeLabel(result)}` };
    },
  });
}

/** `create_category` / `create_tag`. */
export const createLabelTool = (kind: LabelKind, description: string) =>
  labelMutationTool(kind, 'Create', {
    description,
    inputSchema: z.strictObject({
      name: nameOf(kind),
      color: color.describe('#RRGGBB (default #6B7280).').default('#6B7280'),
    }),
    annotations: WRITE,
    variables: `$input: Create${kind.type}Input!`,
    toVariables: (input) => ({ input: { name: input.name, color: input.color } }),
    done: 'Created',
  });

/** `update_category` / `update_tag`. */
export const updateLabelTool = (kind: LabelKind, description: string) =>
  labelMutationTool(kind, 'Update', {
    description,
    inputSchema: z.strictObject({
      [kind.idArg]: idOf(kind),
      name: nameOf(kind).optional(),
      color: color.optional(),
    }),
    annotations: DESTRUCTIVE,
    variables: `$id: ID!, $input: Update${kind.type}Input!`,
    toVariables: (input) => ({
      id: input[kind.idArg],
      input: { name: input.name, color: input.color },
    }),
    done: 'Updated',
  });

/** `delete_category` / `delete_tag`. */
export const deleteLabelTool = (kind: LabelKind, description: string) =>
  labelMutationTool(kind, 'Delete', {
    description,
    inputSchema: z.strictObject({ [kind.idArg]: idOf(kind) }),
    annotations: DESTRUCTIVE,
    variables: '$id: ID!',
    toVariables: (input) => ({ id: input[kind.idArg] }),
    done: 'Deleted',
  });

/** `list_categories` / `list_tags`: every label of the kind, by name. */
export function listLabelsTool(kind: LabelKind, description: string) {
  const DOCUMENT = operation<Record<string, GqlLabel[]>, Record<string, never>>({
    kind: 'query',
    name: `List${kind.type === 'Category' ? 'Categories' : 'Tags'}`,
    field: kind.plural,
    variables: '',
    selection: LABEL_FIELDS,
  });
  return defineTool({
    name: `list_${kind.plural}`,
    title: `List ${kind.plural}`,
    description,
    annotations: READ_ONLY,
    inputSchema: z.strictObject({}),
    outputSchema: z.object({ [kind.plural]: z.array(labelOutput) }),
    documents: [DOCUMENT],
    async handler(_input, call) {
      const labels = (await call.query(DOCUMENT, {}))[kind.plural]!.map(toLabel);
      const lines = labels.map((label) => `- ${describeLabel(label)}`);
      return {
        structured: { [kind.plural]: labels },
        text: [`${labels.length} ${kind.plural}.`, ...lines].join('\n'),
      };
    },
  });
}
