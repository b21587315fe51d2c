import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { ROOT, TOOL_NAMES } from '../test/mcp.ts';
import { argumentFor, describeGraphQLErrors, describeTypedError } from './errors.ts';
import { TOOLS as tools } from './tools/index.ts';
import { WHO_AM_I } from './transports/who-am-i.ts';

const schema = buildSchema(readFileSync(`${ROOT}/schema.graphql`, 'utf8'));

describe('the GraphQL documents', () => {
  const operationName = (source: string) => /^(?:query|mutation) (\w+)/.exec(source)?.[1];
  const documents = [
    ...tools.flatMap((tool) =>
      tool.documents.map((source) => [`${tool.name}.${operationName(source)}`, source] as const),
    ),
    ['transports.WhoAmI', WHO_AM_I] as const,
  ];

  it('has one per tool, and the next-instance poll', () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(tools.map((tool) => [tool.name, tool.documents.length])).toEqual(
      tools.map((tool) => [tool.name, tool.name === 'complete_task' ? 2 : 1]),
    );
    expect(documents.map(([name]) => name)).toContain('complete_task.NextInstance');
  });

  it.each(documents)('%s is valid against schema.graphql', (_, source) => {
    expect(validate(schema, parse(source)).map((error) => error.message)).toEqual([]);
  });
});

describe('error texts', () => {
  const context = { tool: 'update_task', argNames: ['task_id', 'tag_ids'], readOnly: false };

  it('names the argument an API field stands for', () => {
    expect(argumentFor('input.dueAt', context)).toBe('due_date');
    expect(argumentFor('input.tagIds.3', context)).toBe('tag_ids');
    expect(argumentFor('id', context)).toBe('task_id');
    expect(argumentFor('first', context)).toBe('limit');
    expect(argumentFor('orderBy.direction', context)).toBe('order');
    expect(argumentFor('filter.dueBefore', context)).toBe('due_before');
  });

  it("rewrites the API's names into the agent's", () => {
    const error = describeTypedError(
      {
        __typename: 'ValidationError',
        field: 'input.dueAt',
        message:
          "the new due date is before the task's reminder; change the reminder with setReminder first",
      },
      context,
    );
    expect(error.message).toBe(
      "Invalid due_date: the new due date is before the task's reminder; change the reminder " +
        'with set_reminder first. Fix due_date and call update_task again. Nothing was changed.',
    );
  });

  it('explains a value GraphQL refused before anything ran', () => {
    const error = describeGraphQLErrors(
      [
        {
          message:
            'Variable "$input" got invalid value "soon" at "input.dueAt"; Expected type "DateTime". DateTime cannot represent an invalid date-time-string soon.',
        },
      ],
      context,
    );
    expect(error.message).toMatch(/^Invalid due_date: got "soon"; .*ISO 8601 with offset/);
  });
});
