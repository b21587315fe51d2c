/** The GraphQL operations the dashboard runs; it is a client of the public API only. */
const TASK = 'id title completed dueAt remindAt recurrenceRule';
const ERROR = '... on Error { message }';

export const ME = 'query { me { id } }';
export const TASKS = `query { tasks(first: 50) { edges { node { ${TASK} } } } }`;
export const SEARCH = `query($query: String!) {
  searchTasks(query: $query, first: 50) { edges { highlight node { ${TASK} } } } }`;
export const CREATE = `mutation($input: CreateTaskInput!) {
  createTask(input: $input) { __typename ... on CreateTaskSuccess { task { id } } ${ERROR} } }`;
export const SET_REMINDER = `mutation($taskId: ID!, $remindAt: DateTime!) {
  setReminder(taskId: $taskId, remindAt: $remindAt) { __typename ${ERROR} } }`;
export const COMPLETE = `mutation($id: ID!) { completeTask(id: $id) { __typename ${ERROR} } }`;
export const DELETE = `mutation($id: ID!) { deleteTask(id: $id) { __typename ${ERROR} } }`;
export const REMINDERS = `subscription { reminders { id remindAt late task { id title } } }`;
export const TASK_EVENTS = `subscription { taskEvents { id type task { id } } }`;

/** A task as the dashboard shows it. */
export interface TaskView {
  id: string;
  title: string;
  completed: boolean;
  dueAt: string | null;
  remindAt: string | null;
  recurrenceRule: string | null;
}

/** A reminder as it arrives. */
export interface ReminderView {
  id: string;
  remindAt: string;
  late: boolean;
  task: { id: string; title: string };
}

/** The VAPID public key to subscribe with; null when the server offers no Web Push. */
export const PUSH_PUBLIC_KEY = 'query { pushPublicKey }';
export const REGISTER_PUSH = `mutation($input: PushSubscriptionInput!) {
  registerPushSubscription(input: $input) {
    __typename ... on RegisterPushSubscriptionSuccess { channel { id } } ${ERROR} } }`;
export const REMOVE_PUSH = `mutation($endpoint: String!) {
  removePushSubscription(endpoint: $endpoint) { __typename ${ERROR} } }`;
