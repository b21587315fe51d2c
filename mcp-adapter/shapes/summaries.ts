/** The text half of a tool's answer: one line per task or label, for the agent to talk about. */
import type { ToolOutput } from '../tool.ts';
import { toPage, toTask, type LabelOutput, type PageOutput, type TaskOutput } from './outputs.ts';
import type { GqlPage, GqlTask } from './selections.ts';

/** One line about a task: what an agent needs to talk about it and to call the next tool. */
export function describeTask(task: TaskOutput): string {
  const parts = [
    task.completed ? 'completed' : 'pending',
    task.priority,
    task.due_date && `due ${task.due_date} (${task.time_zone})`,
    task.category && `category ${task.category.name}`,
    task.tags.length > 0 && `tags ${task.tags.map((tag) => tag.name).join(', ')}`,
    task.recurrence_rule && `repeats ${task.recurrence_rule}`,
    task.remind_at && `reminder ${task.remind_at}`,
  ];
  return `"${task.title}" [${task.id}]: ${parts.filter(Boolean).join(', ')}`;
}

/** A page of tasks as text, one line each. */
export function describePage(page: PageOutput<TaskOutput>): string {
  const head = `${page.tasks.length} of ${page.total} task(s)`;
  const more = page.next_cursor ? `; more with cursor ${page.next_cursor}` : '';
  return [`${head}${more}.`, ...page.tasks.map((task) => `- ${describeTask(task)}`)].join('\n');
}

/** One line about a category or tag. */
export const describeLabel = (label: LabelOutput) =>
  `"${label.name}" [${label.id}] ${label.color}, ${label.task_count} task(s)`;

/** The answer of a tool that changed one task: the task, and `done` before its line. */
export function taskResult(done: string, task: GqlTask): ToolOutput<TaskOutput> {
  const result = toTask(task);
  return { structured: result, text: `${done} ${describeTask(result)}` };
}

/** The answer of a tool that lists tasks: the page, each edge made an item by `item`. */
export function pageResult<Edge extends { node: GqlTask }, Item extends TaskOutput = TaskOutput>(
  page: GqlPage<Edge>,
  item: (edge: Edge) => Item = (edge) => toTask(edge.node) as Item,
): ToolOutput<PageOutput<Item>> {
  const result = toPage(page, item);
  return { structured: result, text: describePage(result) };
}
