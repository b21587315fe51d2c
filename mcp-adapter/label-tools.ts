import { z } from 'zod';
import { document } from './graphql-client.ts';
import { ERROR_FIELDS, type TypedError } from './errors.ts';
import {
  args,
  describeLabel,
  LABEL_FIELDS,
  labelOutput,
  toLabel,
  type GqlLabel,
} from './shapes.ts';
import type { ToolCall, ToolOutput } from './tool.ts';

/** Categories and tags are the same kind of label; one definition makes the tools of both. */
export interface LabelKind {
  type: 'Category' | 'Tag';
  field: 'category' | 'tag';
  idArg: 'category_id' | 'tag_id';
  maxName: number;
}

export const CATEGORY: LabelKind = {
  type: 'Category',
  field: 'category',
  idArg: 'category_id',
  maxName: 50,
};
export const TAG: LabelKind = { type: 'Tag', field: 'tag', idArg: 'tag_id', maxName: 30 };

type Payload = Record<string, Record<string, GqlLabel> | TypedError>;

const mutating = (destructive: boolean, idempotent: boolean) => ({
  readOnlyHint: false,
  destructiveHint: destructive,
  idempotentHint: idempotent,
  openWorldHint: false,
});

/** The pieces of one label tool, as each `tools/<tool-name>.ts` exports them. */
function labelTool<Input extends z.ZodObject>(
  kind: LabelKind,
  verb: 'Create' | 'Update' | 'Delete',
  spec: {
    description: string;
    inputSchema: Input;
    annotations: ReturnType<typeof mutating>;
    signature: string;
    variables: (input: z.output<Input>) => Record<string, unknown>;
    done: string;
  },
) {
  const mutation = `${verb.toLowerCase()}${kind.type}`;
  const DOCUMENT = document<
    Payload,
    Record<string, unknown>
  >(`mutation ${verb}${kind.type}${spec.signature} {
    ${mutation}${spec.signature.replace(/\$(\w+): [^,)]+/g, '$1: $$$1')} {
      ${ERROR_FIELDS} ... on ${verb}${kind.type}Success { ${kind.field} { ${LABEL_FIELDS} } }
    }
  }`);
  return {
    name: `${verb.toLowerCase()}_${kind.field}`,
    title: `${verb} ${kind.field}`,
    description: spec.description,
    inputSchema: spec.inputSchema,
    outputSchema: labelOutput,
    annotations: spec.annotations,
    DOCUMENT,
    async handler(
      input: z.output<Input>,
      call: ToolCall,
    ): Promise<ToolOutput<z.output<typeof labelOutput>>> {
      const payload = await call.mutation(DOCUMENT, spec.variables(input), mutation);
      const result = toLabel((payload as Record<string, GqlLabel>)[kind.field]!);
      return { structured: result, text: `${spec.done} ${kind.field} ${describeLabel(result)}` };
    },
  };
}

const idOf = (kind: LabelKind) => (kind.type === 'Category' ? args.categoryId : args.tagId);

/** `create_category` / `create_tag`. */
export const createLabelTool = (kind: LabelKind, description: string) =>
  labelTool(kind, 'Create', {
    description,
    inputSchema: z.strictObject({
      name: args.name(kind.maxName),
      color: args.color.describe('#RRGGBB (default #6B7280).').default('#6B7280'),
    }),
    annotations: mutating(false, false),
    signature: `($input: Create${kind.type}Input!)`,
    variables: (input) => ({ input: { name: input.name, color: input.color } }),
    done: 'Created',
  });

/** `update_category` / `update_tag`. */
export const updateLabelTool = (kind: LabelKind, description: string) =>
  labelTool(kind, 'Update', {
    description,
    inputSchema: z.strictObject({
      [kind.idArg]: idOf(kind),
      name: args.name(kind.maxName).optional(),
      color: args.color.optional(),
    }),
    annotations: mutating(true, true),
    signature: `($id: ID!, $input: Update${kind.type}Input!)`,
    variables: (input) => ({
      id: input[kind.idArg],
      input: { name: input.name, color: input.color },
    }),
    done: 'Updated',
  });

/** `delete_category` / `delete_tag`. */
export const deleteLabelTool = (kind: LabelKind, description: string) =>
  labelTool(kind, 'Delete', {
    description,
    inputSchema: z.strictObject({ [kind.idArg]: idOf(kind) }),
    annotations: mutating(true, true),
    signature: '($id: ID!)',
    variables: (input) => ({ id: input[kind.idArg] }),
    done: 'Deleted',
  });
