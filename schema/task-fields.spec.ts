import { completeTask, createLabel, createTask, useTestApi, type TestUser } from '../test/api.ts';
import { TASK_FIELD_READS } from './task.ts';

const api = useTestApi();

/** How each field is asked for; a field of an object type needs a selection of its own. */
const SELECTION: Record<string, string> = {
  category: 'category { id name }',
  tags: 'tags { id name }',
  nextInstance: 'nextInstance { id title }',
};
const selectionOf = (field: string) => SELECTION[field] ?? field;

/** Tasks that between them give every field a value other than its default. */
async function variedTasks(user: TestUser): Promise<void> {
  const category = await createLabel(user, 'Category', 'Work');
  const tags = [await createLabel(user, 'Tag', 'a'), await createLabel(user, 'Tag', 'b')];
  const dueAt = new Date(Date.now() + 86_400_000).toISOString();
  await createTask(user, { title: 'alpha plain' });
  await createTask(user, {
    title: 'alpha full',
    description: 'with a description',
    priority: 'HIGH',
    dueAt,
    timeZone: 'Europe/Paris',
    remindBeforeMinutes: 30,
    categoryId: category.id,
    tagIds: tags.map((tag) => tag.id),
  });
  const recurring = await createTask(user, {
    title: 'alpha recurring',
    dueAt,
    recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO',
    recurrenceAnchor: 'COMPLETION',
  });
  await completeTask(user, recurring.id);
  // The instance the recurring task service would create (it does not run here).
  await api.knex('tasks').insert({
    user_id: user.userId,
    title: 'alpha next',
    due_at: new Date(Date.now() + 8 * 86_400_000),
    recurrence_rule: 'FREQ=WEEKLY;BYDAY=MO',
    series_id: recurring.id,
    series_index: 2,
    previous_task_id: recurring.id,
  });
}

/** The ids of a connection's nodes, in its order. */
async function idsOf(user: TestUser, connection: string): Promise<string[]> {
  const { data, errors } = await user.gql(`{ list: ${connection} { edges { node { id } } } }`);
  expect(errors).toBeUndefined();
  return data!.list.edges.map((edge: { node: { id: string } }) => edge.node.id);
}

it.each([
  ['tasks', 'tasks(first: 50, orderBy: { field: CREATED_AT, direction: ASC })'],
  ['searchTasks', 'searchTasks(query: "alpha", first: 50)'],
  ['overdueTasks', 'overdueTasks(first: 50)'],
])(
  '%s answers every Task field, asked alone, as the task itself does',
  async (_name, connection) => {
    const user = await api.user();
    await variedTasks(user);
    if (connection.startsWith('overdueTasks')) {
      await api
        .knex('tasks')
        .where({ user_id: user.userId })
        .update({ due_at: new Date(0) });
    }
    const ids = await idsOf(user, connection);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const field of TASK_FIELD_READS.keys()) {
      const selection = selectionOf(field);
      const { data, errors } = await user.gql(
        `{ list: ${connection} { edges { node { ${selection} } } } }`,
      );
      expect(errors).toBeUndefined();
      const expected = [];
      for (const id of ids) {
        const one = await user.gql(`query($id: ID!) { task(id: $id) { ${selection} } }`, { id });
        expect(one.errors).toBeUndefined();
        expected.push(one.data!.task);
      }
      expect({
        field,
        nodes: data!.list.edges.map((edge: { node: unknown }) => edge.node),
      }).toEqual({ field, nodes: expected });
    }
  },
  60_000,
);

it('reads only the columns of the fields a list asks for, and every column when asked for all', async () => {
  const user = await api.user();
  await createTask(user, { title: 'columns', description: 'not read' });
  const statements: string[] = [];
  const listener = (query: { sql: string }) => statements.push(query.sql);
  api.knex.on('query', listener);
  try {
    await user.gql(`{ tasks { totalCount edges { node { title dueAt } } } }`);
    const all = [...TASK_FIELD_READS.keys()].map(selectionOf).join(' ');
    await user.gql(`{ tasks { edges { node { ${all} } } } }`);
  } finally {
    api.knex.off('query', listener);
  }
  // The two pages' statements: the only ones with a sort key.
  const [few, every] = statements.filter((sql) => /\bAS sort_key\b/.test(sql));
  expect(few).toMatch(/"tasks"\."title", "tasks"\."due_at"/);
  expect(few).not.toMatch(/"tasks"\."description"/);
  expect(every).toMatch(/"tasks"\."description"/);
  expect(every).toMatch(/"tasks"\."reminder_sent_at"/);
});
