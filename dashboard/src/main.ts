import { createClient, type Client } from 'graphql-ws';
import { request, unwrap } from './graphql.ts';
import {
  COMPLETE,
  CREATE,
  DELETE,
  ME,
  REMINDERS,
  SEARCH,
  SET_REMINDER,
  TASK_EVENTS,
  TASKS,
  type ReminderView,
  type TaskView,
} from './operations.ts';
import { pushOptIn } from './push-opt-in.ts';
import { renderTasks, say, setStatus, showReminder, showSignedIn } from './view.ts';

const TOKEN_KEY = 'todo-events-token';
let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
let live: Client | undefined;
let query = '';
let reloading: ReturnType<typeof setTimeout> | undefined;
const seenReminders = new Set<string>();
const push = pushOptIn(() => token);

const form = (id: string) => document.getElementById(id) as HTMLFormElement;
const field = (f: HTMLFormElement, name: string) =>
  (f.elements.namedItem(name) as HTMLInputElement).value.trim();
/** A `datetime-local` value (the browser's zone) as ISO 8601, or undefined when empty. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);
const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

const actions = {
  complete: (id: string) => void mutate(COMPLETE, { id }, 'completeTask'),
  remove: (id: string) => void mutate(DELETE, { id }, 'deleteTask'),
};

async function mutate(operation: string, variables: Record<string, unknown>, field: string) {
  try {
    const data = await request<Record<string, { __typename: string; message?: string }>>(
      token,
      operation,
      variables,
    );
    unwrap(data[field]!);
    say('form-error', '');
    await loadTasks();
  } catch (error) {
    say('form-error', failure(error));
  }
}

/** Numbers the list loads, so a slow, older answer never overwrites a newer one. */
let lastLoad = 0;

async function loadTasks() {
  const load = ++lastLoad;
  if (query) {
    const data = await request<{
      searchTasks: { edges: { highlight: string | null; node: TaskView }[] };
    }>(token, SEARCH, { query });
    if (load !== lastLoad) return;
    const edges = data.searchTasks.edges;
    const highlights = new Map(
      edges.filter((e) => e.highlight).map((e) => [e.node.id, e.highlight!]),
    );
    renderTasks(
      edges.map((e) => e.node),
      actions,
      highlights,
    );
  } else {
    const data = await request<{ tasks: { edges: { node: TaskView }[] } }>(token, TASKS);
    if (load !== lastLoad) return;
    renderTasks(
      data.tasks.edges.map((e) => e.node),
      actions,
    );
  }
}

/** Coalesces the reloads that a burst of task events asks for. */
function reloadSoon() {
  clearTimeout(reloading);
  reloading = setTimeout(
    () => void loadTasks().catch((error) => say('form-error', failure(error))),
    100,
  );
}

function connectLive() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  live = createClient({
    url,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: () => {
        setStatus('live');
        reloadSoon();
      },
      closed: () => setStatus('reconnecting…'),
    },
  });
  live.subscribe<{ reminders: ReminderView }>(
    { query: REMINDERS },
    {
      next: ({ data }) => {
        if (!data || seenReminders.has(data.reminders.id)) return;
        seenReminders.add(data.reminders.id);
        showReminder(data.reminders);
      },
      error: (error) => say('form-error', failure(error)),
      complete: () => undefined,
    },
  );
  live.subscribe(
    { query: TASK_EVENTS },
    {
      next: reloadSoon,
      // A resync request or a fatal close (e.g. 4401, the token expired) ends live updates.
      error: (error) => setStatus(`live updates stopped (${failure(error)}): reload the page`),
      complete: () => undefined,
    },
  );
}

async function signIn(candidate: string) {
  try {
    await request(candidate, ME);
  } catch (error) {
    say('sign-in-error', `Not signed in: ${failure(error)}`);
    return;
  }
  token = candidate;
  sessionStorage.setItem(TOKEN_KEY, token);
  say('sign-in-error', '');
  showSignedIn(true, 'connecting…');
  await loadTasks();
  connectLive();
  // Without push (not offered, or not in this browser) the page works as before.
  void push.refresh().catch(() => push.hide());
}

form('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn(field(form('sign-in-form'), 'token'));
});

document.getElementById('sign-out')!.addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  void live?.dispose();
  token = '';
  push.hide();
  showSignedIn(false, 'signed out');
});

form('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const f = form('create-form');
  const dueAt = isoOf(field(f, 'dueAt'));
  const remindAt = isoOf(field(f, 'remindAt'));
  const recurrenceRule = field(f, 'recurrenceRule') || undefined;
  void (async () => {
    try {
      const data = await request<{
        createTask: { __typename: string; message?: string; task?: { id: string } };
      }>(token, CREATE, { input: { title: field(f, 'title'), dueAt, recurrenceRule } });
      const { task } = unwrap(data.createTask);
      if (remindAt) {
        const set = await request<{ setReminder: { __typename: string; message?: string } }>(
          token,
          SET_REMINDER,
          {
            taskId: task!.id,
            remindAt,
          },
        );
        unwrap(set.setReminder);
      }
      f.reset();
      say('form-error', '');
      await loadTasks();
    } catch (error) {
      say('form-error', failure(error));
    }
  })();
});

form('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  query = field(form('search-form'), 'query');
  void loadTasks().catch((error) => say('form-error', failure(error)));
});

if (token) void signIn(token);
