/** The GraphQL the tasks page runs, and how the page's URL parameters become a query. */
import { unwrap } from '../api/graphql.ts';
import type { Session } from '../session.ts';
import { localDayStart, today } from './zones.ts';

export type Priority = 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';
export const PRIORITIES: Priority[] = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'];
export const PRIORITY_NAMES: Record<Priority, string> = {
  URGENT: 'Urgent',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
};
/** RecurrenceAnchor in schema.graphql. */
export type Anchor = 'DUE_DATE' | 'COMPLETION';

export interface Label {
  id: string;
  name: string;
  color: string;
}

export interface Task {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  dueAt: string | null;
  timeZone: string;
  priority: Priority;
  remindAt: string | null;
  remindBeforeMinutes: number | null;
  recurrenceRule: string | null;
  recurrenceAnchor: Anchor;
  category: Label | null;
  tags: Label[];
}

/** A task in the list; `highlight` is the search's snippet (HTML-escaped, matches in <mark>). */
export interface Item {
  task: Task;
  highlight: string | null;
}

export interface Page {
  items: Item[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

const TASK = `id title description completed dueAt timeZone priority remindAt remindBeforeMinutes
  recurrenceRule recurrenceAnchor category { id name color } tags { id name color }`;
const PAGE_INFO = 'pageInfo { endCursor hasNextPage } totalCount';
const ERROR = '... on Error { message }';

const TASKS = `query($first: Int, $after: String, $filter: TaskFilterInput, $orderBy: TaskOrderInput) {
  list: tasks(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { node { ${TASK} } } ${PAGE_INFO} } }`;
const SEARCH = `query($first: Int, $after: String, $filter: TaskFilterInput, $query: String!) {
  list: searchTasks(first: $first, after: $after, filter: $filter, query: $query) {
    edges { highlight node { ${TASK} } } ${PAGE_INFO} } }`;
const OVERDUE = `query($first: Int, $after: String) {
  list: overdueTasks(first: $first, after: $after) { edges { node { ${TASK} } } ${PAGE_INFO} } }`;
const UPCOMING = `query($first: Int, $after: String, $within: Int) {
  list: upcomingTasks(first: $first, after: $after, withinHours: $within) {
    edges { node { ${TASK} } } ${PAGE_INFO} } }`;
const ONE = `query($id: ID!) { task(id: $id) { ${TASK} } }`;
const LABELS = 'query { categories { id name color } tags { id name color } }';

const result = (name: string, payload = 'task { id title }') =>
  `{ __typename ... on ${name}Success { ${payload} } ${ERROR} }`;
const CREATE = `mutation($input: CreateTaskInput!) {
  r: createTask(input: $input) ${result('CreateTask', `task { ${TASK} }`)} }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTaskInput!) {
  r: updateTask(id: $id, input: $input) ${result('UpdateTask', `task { ${TASK} }`)} }`;
const COMPLETE = `mutation($id: ID!) { r: completeTask(id: $id) ${result('CompleteTask')} }`;
const REOPEN = `mutation($id: ID!) { r: reopenTask(id: $id) ${result('ReopenTask')} }`;
const DELETE = `mutation($id: ID!) { r: deleteTask(id: $id) ${result('DeleteTask')} }`;
const SKIP = `mutation($id: ID!) {
  r: skipOccurrence(id: $id) ${result('SkipOccurrence', 'task { id title dueAt timeZone }')} }`;
const CLEAR_REMINDER = `mutation($id: ID!) { r: clearReminder(taskId: $id) ${result('ClearReminder')} }`;

type Api = Session['api'];
type Result<T> = { r: { __typename: string; message?: string } & T };

export const VIEWS = ['all', 'today', 'overdue', 'upcoming'] as const;
export type View = (typeof VIEWS)[number];
export const VIEW_NAMES: Record<View, string> = {
  all: 'All',
  today: 'Today',
  overdue: 'Overdue',
  upcoming: 'Upcoming',
};
export const ORDER_FIELDS = ['CREATED_AT', 'UPDATED_AT', 'DUE_DATE', 'PRIORITY', 'TITLE'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export const ORDER_NAMES: Record<OrderField, string> = {
  CREATED_AT: 'Created',
  UPDATED_AT: 'Updated',
  DUE_DATE: 'Due date',
  PRIORITY: 'Priority',
  TITLE: 'Title',
};
export const UPCOMING_HOURS = [24, 72, 168, 720];

/** What the list shows, as the URL says it (`#/tasks?view=today&priority=HIGH,URGENT…`). */
export interface ListSpec {
  view: View;
  query: string;
  status: '' | 'PENDING' | 'COMPLETED';
  priorities: Priority[];
  categoryId: string;
  tagIds: string[];
  from: string;
  to: string;
  sort: OrderField;
  direction: 'ASC' | 'DESC';
  within: number;
}

const list = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

/** The list the route's parameters describe; unknown values fall back to the defaults. */
export function specOf(params: URLSearchParams): ListSpec {
  const view = params.get('view') as View;
  const status = params.get('status')?.toUpperCase();
  const sort = params.get('sort')?.toUpperCase() as OrderField;
  const within = Number(params.get('within'));
  const field = ORDER_FIELDS.includes(sort) ? sort : 'CREATED_AT';
  const dir = params.get('dir')?.toUpperCase();
  return {
    view: VIEWS.includes(view) ? view : 'all',
    query: params.get('q') ?? '',
    status: status === 'PENDING' || status === 'COMPLETED' ? status : '',
    priorities: list(params.get('priority')).filter((p): p is Priority =>
      PRIORITIES.includes(p as Priority),
    ),
    categoryId: params.get('category') ?? '',
    tagIds: list(params.get('tags')),
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    sort: field,
    direction: dir === 'ASC' || dir === 'DESC' ? dir : field === 'CREATED_AT' ? 'DESC' : 'ASC',
    within: UPCOMING_HOURS.includes(within) ? within : 168,
  };
}

/** Whether the view takes the filters and the sort (overdue and upcoming have their own). */
export const filterable = (view: View) => view === 'all' || view === 'today';

/** How many filters are set. */
export const filterCount = (spec: ListSpec) =>
  (spec.status ? 1 : 0) +
  (spec.priorities.length ? 1 : 0) +
  (spec.categoryId ? 1 : 0) +
  (spec.tagIds.length ? 1 : 0) +
  (spec.from || spec.to ? 1 : 0);

interface Filter {
  status?: string;
  priorities?: Priority[];
  categoryId?: string;
  tagIds?: string[];
  dueAfter?: string;
  dueBefore?: string;
}

const later = (a: string | undefined, b: string | null) =>
  !b ? a : !a || Date.parse(b) > Date.parse(a) ? b : a;
const earlier = (a: string | undefined, b: string | null) =>
  !b ? a : !a || Date.parse(b) < Date.parse(a) ? b : a;

/** The TaskFilterInput of the filters and the view (a search reaches overdue/upcoming by one). */
function filterOf(spec: ListSpec): Filter {
  const filter: Filter = {};
  if (filterable(spec.view)) {
    if (spec.status) filter.status = spec.status;
    if (spec.priorities.length) filter.priorities = spec.priorities;
    if (spec.categoryId) filter.categoryId = spec.categoryId;
    if (spec.tagIds.length) filter.tagIds = spec.tagIds;
    filter.dueAfter = later(undefined, localDayStart(spec.from));
    filter.dueBefore = earlier(undefined, localDayStart(spec.to, 1));
  }
  const now = new Date();
  if (spec.view === 'today') {
    filter.dueAfter = later(filter.dueAfter, localDayStart(today()));
    filter.dueBefore = earlier(filter.dueBefore, localDayStart(today(), 1));
  } else if (spec.view === 'overdue') {
    filter.status = 'PENDING';
    filter.dueBefore = now.toISOString();
  } else if (spec.view === 'upcoming') {
    filter.status = 'PENDING';
    filter.dueAfter = now.toISOString();
    filter.dueBefore = new Date(now.getTime() + spec.within * 3_600_000).toISOString();
  }
  for (const key of Object.keys(filter) as (keyof Filter)[]) {
    if (filter[key] === undefined) delete filter[key];
  }
  return filter;
}

interface Connection {
  edges: { highlight?: string | null; node: Task }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

/** One page of the list `spec` describes: `first` tasks after the cursor `after`. */
export async function fetchPage(
  api: Api,
  spec: ListSpec,
  first: number,
  after: string | null,
): Promise<Page> {
  const paging = { first, after };
  let data: { list: Connection };
  if (spec.query.trim()) {
    data = await api(SEARCH, { ...paging, filter: filterOf(spec), query: spec.query.trim() });
  } else if (spec.view === 'overdue') {
    data = await api(OVERDUE, paging);
  } else if (spec.view === 'upcoming') {
    data = await api(UPCOMING, { ...paging, within: spec.within });
  } else {
    data = await api(TASKS, {
      ...paging,
      filter: filterOf(spec),
      orderBy: { field: spec.sort, direction: spec.direction },
    });
  }
  return {
    items: data.list.edges.map((edge) => ({ task: edge.node, highlight: edge.highlight ?? null })),
    endCursor: data.list.pageInfo.endCursor,
    hasNextPage: data.list.pageInfo.hasNextPage,
    totalCount: data.list.totalCount,
  };
}

export const fetchTask = async (api: Api, id: string) =>
  (await api<{ task: Task | null }>(ONE, { id })).task;

export const fetchLabels = (api: Api) => api<{ categories: Label[]; tags: Label[] }>(LABELS);

/** The fields a task is created or changed with (UpdateTaskInput: null clears). */
export interface TaskInput {
  title?: string;
  description?: string | null;
  priority?: Priority;
  dueAt?: string | null;
  timeZone?: string;
  categoryId?: string | null;
  tagIds?: string[];
  recurrenceRule?: string | null;
  recurrenceAnchor?: Anchor;
  remindBeforeMinutes?: number | null;
}

export async function createTask(api: Api, input: TaskInput, clearReminder = false) {
  const data = await api<Result<{ task: Task }>>(CREATE, { input });
  const { task } = unwrap(data.r);
  if (clearReminder && task.remindAt) {
    unwrap((await api<Result<object>>(CLEAR_REMINDER, { id: task.id })).r);
  }
  return task;
}

export async function updateTask(api: Api, id: string, input: TaskInput) {
  return unwrap((await api<Result<{ task: Task }>>(UPDATE, { id, input })).r).task;
}

export async function setCompleted(api: Api, id: string, completed: boolean) {
  unwrap((await api<Result<object>>(completed ? COMPLETE : REOPEN, { id })).r);
}

export async function deleteTask(api: Api, id: string) {
  unwrap((await api<Result<object>>(DELETE, { id })).r);
}

export async function skipOccurrence(api: Api, id: string) {
  return unwrap((await api<Result<{ task: Pick<Task, 'dueAt' | 'timeZone'> }>>(SKIP, { id })).r)
    .task;
}
