/** `add_tag_to_task` and `remove_tag_from_task`: one tag on or off one task. */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { args } from '../shapes/args.ts';
import { taskSummaryOutput } from '../shapes/outputs.ts';
import { taskMutation } from '../shapes/selections.ts';
import { taskResult } from '../shapes/summaries.ts';
import { defineTool } from '../tool.ts';

/** A tool that puts a tag on a task or takes it off, by the GraphQL mutation `field`. */
export function taskTagTool(spec: {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  field: 'addTagToTask' | 'removeTagFromTask';
  /** What the answer's text says was done. */
  done: string;
}) {
  const DOCUMENT = taskMutation<{ taskId: string; tagId: string }>(
    spec.field,
    '$taskId: ID!, $tagId: ID!',
  );
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema: z.strictObject({ task_id: args.taskId, tag_id: args.tagId }),
    outputSchema: taskSummaryOutput,
    documents: [DOCUMENT],
    async handler(input, call) {
      const variables = { taskId: input.task_id, tagId: input.tag_id };
      const { task } = await call.mutation(DOCUMENT, variables, spec.field);
      return taskResult(spec.done, task);
    },
  });
}
