import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { inZone } from '../due-time.ts';
import { hrefOf, navigate, parseRoute } from '../route.ts';
import { useSession } from '../session.ts';
import { Filters, type Patch } from './filters.tsx';
import { ShortcutsDialog, typing } from './shortcuts.tsx';
import {
  createTask,
  deleteTask,
  fetchLabels,
  fetchPage,
  fetchTask,
  setCompleted,
  skipOccurrence,
  specOf,
  UPCOMING_HOURS,
  VIEW_NAMES,
  VIEWS,
  type Item,
  type Label,
  type Task,
} from './task-api.ts';
import { TaskEditor } from './task-editor.tsx';
import { TaskRow } from './task-row.tsx';
import { browserZone } from './zones.ts';
import './tasks.css';

const PAGE = 25;
/** How long a deleted task can be brought back before deleteTask is sent. */
const UNDO_MS = 6_000;
const SEARCH_DEBOUNCE_MS = 250;
const LIVE_COALESCE_MS = 100;

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The current route's parameters changed by `patch`, as a tasks-page href. */
function hrefWith(patch: Patch): string {
  const params = Object.fromEntries(parseRoute(location.hash).params);
  return hrefOf('tasks', { ...params, ...patch });
}

interface PendingDelete {
  task: Task;
  timer: ReturnType<typeof setTimeout>;
}

/** The tasks page: add, find, edit, complete and delete tasks, live. */
export function TasksPage({ params }: { params: URLSearchParams }) {
  const { api, live } = useSession();
  const spec = useMemo(() => specOf(params), [params]);
  const listKey = JSON.stringify(spec);
  const openId = params.get('task');

  const [items, setItems] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<{ end: string | null; more: boolean }>({
    end: null,
    more: false,
  });
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [listError, setListError] = useState('');
  const [labels, setLabels] = useState<{ categories: Label[]; tags: Label[] }>({
    categories: [],
    tags: [],
  });
  const [message, setMessage] = useState('');
  const [deleted, setDeleted] = useState<Task[]>([]);
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [adding, setAdding] = useState<{ title: string } | null>(null);
  const [quick, setQuick] = useState('');
  const [quickError, setQuickError] = useState('');
  const [searchText, setSearchText] = useState(spec.query);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [opened, setOpened] = useState<{ task: Task | null; error: string } | null>(null);

  const quickField = useRef<HTMLInputElement>(null);
  const searchField = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const generation = useRef(0);
  const loaded = useRef(0);
  const specRef = useRef(spec);
  specRef.current = spec;
  const pending = useRef(new Map<string, PendingDelete>());
  /** The selected task as of the last key press, ahead of the next render. */
  const selectedRef = useRef<string | null>(null);

  const go = useCallback((patch: Patch, replace = false) => {
    navigate(hrefWith(patch), { replace });
  }, []);

  /** Loads the list from the top: `reset` one page, `reload` as many as are shown. */
  const load = useCallback(
    async (mode: 'reset' | 'reload') => {
      const mine = ++generation.current;
      const want = mode === 'reset' ? PAGE : Math.max(PAGE, loaded.current);
      const current = specRef.current;
      if (mode === 'reset') setLoading(true);
      try {
        const all: Item[] = [];
        let after: string | null = null;
        let page;
        do {
          page = await fetchPage(api, current, Math.min(100, want - all.length), after);
          all.push(...page.items);
          after = page.endCursor;
        } while (page.hasNextPage && all.length < want);
        if (mine !== generation.current) return;
        loaded.current = all.length;
        setItems(all);
        setCursor({ end: page.endCursor, more: page.hasNextPage });
        setTotal(page.totalCount);
        setListError('');
      } catch (problem) {
        if (mine === generation.current) setListError(`Could not load tasks: ${failure(problem)}`);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [api],
  );

  const loadMore = async () => {
    const mine = generation.current;
    setLoading(true);
    try {
      const page = await fetchPage(api, spec, PAGE, cursor.end);
      if (mine !== generation.current) return;
      setItems((shown) => {
        const ids = new Set(shown.map((item) => item.task.id));
        const next = [...shown, ...page.items.filter((item) => !ids.has(item.task.id))];
        loaded.current = next.length;
        return next;
      });
      setCursor({ end: page.endCursor, more: page.hasNextPage });
      setTotal(page.totalCount);
    } catch (problem) {
      setListError(`Could not load more tasks: ${failure(problem)}`);
    } finally {
      setLoading(false);
    }
  };

  // Task events from any tab (and 'resync' after falling behind) reload the visible list,
  // coalesced so that a burst of events costs one query.
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const scheduleReload = useCallback(() => {
    if (reloadTimer.current) return;
    reloadTimer.current = setTimeout(() => {
      reloadTimer.current = null;
      void load('reload');
    }, LIVE_COALESCE_MS);
  }, [load]);

  const loadLabels = useCallback(() => {
    fetchLabels(api).then(setLabels, (problem: unknown) =>
      setListError(`Could not load categories and tags: ${failure(problem)}`),
    );
  }, [api]);

  useEffect(() => {
    loadLabels();
    const stop = live.onTaskEvent(scheduleReload);
    return () => {
      stop();
      if (reloadTimer.current) clearTimeout(reloadTimer.current);
    };
  }, [live, scheduleReload, loadLabels]);

  useEffect(() => {
    loaded.current = 0;
    void load('reset');
  }, [listKey, load]);

  // The search field follows the URL (back, a shared link) unless it is being typed in.
  useEffect(() => {
    if (document.activeElement !== searchField.current) setSearchText(spec.query);
  }, [spec.query]);
  useEffect(() => {
    if (searchText === spec.query) return;
    const timer = setTimeout(() => go({ q: searchText }, true), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  // Deleting waits for the undo period; leaving the page or closing the tab sends it at once.
  const flushDeletes = useCallback(() => {
    for (const [id, { timer }] of pending.current) {
      clearTimeout(timer);
      void deleteTask(api, id).catch(() => undefined);
    }
    pending.current.clear();
  }, [api]);
  useEffect(() => {
    window.addEventListener('pagehide', flushDeletes);
    return () => {
      window.removeEventListener('pagehide', flushDeletes);
      flushDeletes();
    };
  }, [flushDeletes]);

  const hidden = useMemo(() => new Set(deleted.map((task) => task.id)), [deleted]);
  const visible = useMemo(() => items.filter((item) => !hidden.has(item.task.id)), [items, hidden]);

  // `task=<id>` opens that task: in the list if it is there, above the list otherwise.
  const inList = !!openId && visible.some((item) => item.task.id === openId);
  useEffect(() => {
    if (!openId || inList || loading) {
      if (!openId) setOpened(null);
      return;
    }
    let stale = false;
    fetchTask(api, openId).then(
      (task) => !stale && setOpened({ task, error: task ? '' : 'That task does not exist.' }),
      (problem: unknown) => !stale && setOpened({ task: null, error: failure(problem) }),
    );
    return () => {
      stale = true;
    };
  }, [openId, inList, loading, api]);
  useEffect(() => {
    if (openId) document.getElementById(`row-${openId}`)?.scrollIntoView({ block: 'nearest' });
  }, [openId, inList]);

  const setRowError = (id: string, error: string) =>
    setRowErrors((errors) => ({ ...errors, [id]: error }));
  const withBusy = async (id: string, action: () => Promise<void>) => {
    if (busy.has(id)) return;
    setBusy((ids) => new Set(ids).add(id));
    setRowError(id, '');
    try {
      await action();
      scheduleReload();
    } catch (problem) {
      setRowError(id, failure(problem));
    } finally {
      setBusy((ids) => {
        const next = new Set(ids);
        next.delete(id);
        return next;
      });
    }
  };

  const markCompleted = (id: string, completed: boolean) =>
    setItems((shown) =>
      shown.map((item) =>
        item.task.id === id ? { ...item, task: { ...item.task, completed } } : item,
      ),
    );
  /** Completes or reopens at once on the page; back as it was if the API refuses. */
  const toggle = (task: Task) => {
    if (busy.has(task.id)) return;
    markCompleted(task.id, !task.completed);
    return withBusy(task.id, async () => {
      try {
        await setCompleted(api, task.id, !task.completed);
      } catch (problem) {
        markCompleted(task.id, task.completed);
        throw problem;
      }
      setMessage(`${task.completed ? 'Reopened' : 'Completed'} ${task.title}`);
    });
  };

  const skip = (task: Task) =>
    withBusy(task.id, async () => {
      const next = await skipOccurrence(api, task.id);
      setMessage(
        `Skipped an occurrence of ${task.title}; next due ${next.dueAt ? inZone(next.dueAt, next.timeZone) : 'never'}`,
      );
    });

  const focusRow = (id: string | undefined) => {
    selectedRef.current = id ?? null;
    setSelectedId(id ?? null);
    requestAnimationFrame(() => {
      const row = id && document.getElementById(`row-${id}`);
      if (row) row.focus();
      else headingRef.current?.focus();
    });
  };

  const remove = (task: Task) => {
    const index = visible.findIndex((item) => item.task.id === task.id);
    const neighbour = visible[index + 1] ?? visible[index - 1];
    const timer = setTimeout(() => {
      pending.current.delete(task.id);
      deleteTask(api, task.id).then(
        () => {
          setDeleted((tasks) => tasks.filter((t) => t.id !== task.id));
          setItems((shown) => shown.filter((item) => item.task.id !== task.id));
          scheduleReload();
        },
        (problem: unknown) => {
          setDeleted((tasks) => tasks.filter((t) => t.id !== task.id));
          setRowError(task.id, `Could not delete: ${failure(problem)}`);
        },
      );
    }, UNDO_MS);
    pending.current.set(task.id, { task, timer });
    setDeleted((tasks) => [...tasks, task]);
    if (openId === task.id) go({ task: '' }, true);
    focusRow(neighbour?.task.id);
  };

  const undo = (task: Task) => {
    const entry = pending.current.get(task.id);
    if (entry) clearTimeout(entry.timer);
    pending.current.delete(task.id);
    setDeleted((tasks) => tasks.filter((t) => t.id !== task.id));
    setMessage(`Restored ${task.title}`);
    focusRow(task.id);
  };

  const edit = (id: string) => go({ task: id }, true);
  const closeEditor = (message?: string) => {
    const id = openId;
    go({ task: '' }, true);
    if (message) setMessage(message);
    scheduleReload();
    if (id) focusRow(id);
  };

  const quickAdd = async (event: Event) => {
    event.preventDefault();
    const title = quick.trim();
    if (!title) {
      setQuickError('Type a title first.');
      return;
    }
    setQuickError('');
    try {
      await createTask(api, { title, timeZone: browserZone() });
      setQuick('');
      setMessage(`Added ${title}`);
      scheduleReload();
    } catch (problem) {
      setQuickError(failure(problem));
    }
  };

  // Keyboard shortcuts; see shortcuts.tsx.
  const shortcut = useRef<(event: KeyboardEvent) => void>(() => undefined);
  shortcut.current = (event: KeyboardEvent) => {
    if (event.defaultPrevented || typing(event) || document.querySelector('dialog[open]')) return;
    const rowOf = (document.activeElement as HTMLElement | null)?.closest?.('[data-task-id]');
    const currentId =
      selectedRef.current ?? (rowOf as HTMLElement | null)?.dataset.taskId ?? selectedId;
    const index = visible.findIndex((item) => item.task.id === currentId);
    const current = visible[index]?.task;
    const act = (action: () => void) => {
      event.preventDefault();
      action();
    };
    switch (event.key) {
      case 'n':
        return act(() => quickField.current?.focus());
      case '/':
        return act(() => searchField.current?.focus());
      case '?':
        return act(() => setHelpOpen(true));
      case 'j':
      case 'k': {
        const step = event.key === 'j' ? 1 : -1;
        const next = visible[index === -1 ? (step > 0 ? 0 : visible.length - 1) : index + step];
        if (next) act(() => focusRow(next.task.id));
        return;
      }
      case 'x':
        if (current) act(() => void toggle(current));
        return;
      case 'e':
        if (current) act(() => edit(current.id));
        return;
      case 'Delete':
        if (current && !openId) act(() => remove(current));
        return;
    }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => shortcut.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const editor = (task: Task) => (
    <TaskEditor
      key={task.id}
      task={task}
      categories={labels.categories}
      tags={labels.tags}
      onSaved={closeEditor}
      onCancel={() => closeEditor()}
    />
  );

  const heading = spec.view === 'all' ? 'All tasks' : VIEW_NAMES[spec.view];
  const summary = loading
    ? 'Loading tasks…'
    : `${visible.length} of ${total - (items.length - visible.length)} ${total === 1 ? 'task' : 'tasks'}${spec.query.trim() ? ` matching “${spec.query.trim()}”` : ''}`;

  return (
    <section class="tasks-page" aria-labelledby="tasks-heading">
      <div class="page-head">
        <h2 id="tasks-heading" ref={headingRef} tabIndex={-1}>
          {heading}
        </h2>
        <button type="button" class="quiet" onClick={() => setHelpOpen(true)}>
          Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
        </button>
      </div>

      <form class="quick-add" onSubmit={(event) => void quickAdd(event)} noValidate>
        <label for="quick-add">Add a task</label>
        <div class="quick-row">
          <input
            id="quick-add"
            ref={quickField}
            value={quick}
            maxLength={200}
            placeholder="What needs doing?"
            aria-describedby="quick-add-error"
            onInput={(e) => setQuick(e.currentTarget.value)}
          />
          <button type="submit">Add</button>
          <button
            type="button"
            class="quiet"
            aria-expanded={!!adding}
            onClick={() => setAdding(adding ? null : { title: quick })}
          >
            More options
          </button>
        </div>
        <p class="error" role="alert" id="quick-add-error">
          {quickError}
        </p>
      </form>
      {adding && (
        <TaskEditor
          task={null}
          initialTitle={adding.title}
          categories={labels.categories}
          tags={labels.tags}
          onSaved={(text) => {
            setAdding(null);
            setQuick('');
            setMessage(text);
            scheduleReload();
            quickField.current?.focus();
          }}
          onCancel={() => {
            setAdding(null);
            quickField.current?.focus();
          }}
        />
      )}
      <p class="message" role="status">
        {message}
      </p>

      <nav aria-label="Views" class="views">
        {VIEWS.map((view) => (
          <a
            href={hrefWith({ view: view === 'all' ? '' : view, task: '' })}
            aria-current={spec.view === view ? 'page' : undefined}
          >
            {VIEW_NAMES[view]}
          </a>
        ))}
      </nav>

      <div class="finders">
        <form role="search" aria-label="Tasks" onSubmit={(event) => event.preventDefault()}>
          <label>
            Search
            <input
              ref={searchField}
              type="search"
              value={searchText}
              maxLength={500}
              placeholder="Words, “a phrase”, -not"
              onInput={(e) => setSearchText(e.currentTarget.value)}
            />
          </label>
        </form>
        {spec.view === 'upcoming' && (
          <label>
            Due within
            <select
              value={String(spec.within)}
              onChange={(e) => go({ within: e.currentTarget.value })}
            >
              {UPCOMING_HOURS.map((hours) => (
                <option value={String(hours)}>
                  {hours < 48 ? `${hours} hours` : `${hours / 24} days`}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <Filters spec={spec} categories={labels.categories} tags={labels.tags} onChange={go} />

      <p class="muted summary" role="status">
        {summary}
      </p>
      <p class="error" role="alert">
        {listError}
      </p>

      {openId && !inList && opened && (
        <section class="opened" aria-label="Opened task">
          {opened.task ? (
            <ul class="plain task-list">
              <li data-testid="task" data-task-id={opened.task.id} class="task editing">
                {editor(opened.task)}
              </li>
            </ul>
          ) : (
            <p class="error" role="alert">
              Could not open the task: {opened.error}
            </p>
          )}
        </section>
      )}

      <ul class="plain task-list" aria-labelledby="tasks-heading">
        {visible.map((item) =>
          item.task.id === openId ? (
            <li
              id={`row-${item.task.id}`}
              data-testid="task"
              data-task-id={item.task.id}
              class="task editing"
              key={item.task.id}
            >
              {editor(item.task)}
            </li>
          ) : (
            <TaskRow
              key={item.task.id}
              item={item}
              selected={selectedId === item.task.id}
              busy={busy.has(item.task.id)}
              error={rowErrors[item.task.id] ?? ''}
              onSelect={() => {
                selectedRef.current = item.task.id;
                setSelectedId(item.task.id);
              }}
              onToggle={() => void toggle(item.task)}
              onEdit={() => edit(item.task.id)}
              onSkip={() => void skip(item.task)}
              onDelete={() => remove(item.task)}
            />
          ),
        )}
      </ul>
      {!loading && visible.length === 0 && !listError && (
        <p class="empty muted">
          {spec.query.trim() ? 'No task matches.' : 'Nothing here. Add a task above.'}
        </p>
      )}
      {cursor.more && (
        <button type="button" class="quiet more" disabled={loading} onClick={() => void loadMore()}>
          Load more
        </button>
      )}

      <div class="undo" role="status">
        {deleted.map((task) => (
          <p>
            Deleted {task.title} —{' '}
            <button type="button" onClick={() => undo(task)}>
              Undo<span class="visually-hidden"> deleting {task.title}</span>
            </button>
          </p>
        ))}
      </div>
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </section>
  );
}
