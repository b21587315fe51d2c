import { useEffect, useMemo, useState } from 'preact/hooks';
import { request } from './api/graphql.ts';
import { Live, type LiveStatus } from './api/live.ts';
import { LabelsPage } from './labels/labels-page.tsx';
import { OverviewPage } from './overview/overview-page.tsx';
import { ReminderNotices } from './reminders/reminder-notices.tsx';
import { hrefOf, PAGES, useRoute, type Page } from './route.ts';
import { SessionContext, storedToken, storeToken, whoIs, type Session } from './session.ts';
import { SettingsPage } from './settings/settings-page.tsx';
import { SignIn } from './sign-in.tsx';
import { TasksPage } from './tasks/tasks-page.tsx';

const TITLES: Record<Page, string> = {
  tasks: 'Tasks',
  labels: 'Labels',
  overview: 'Overview',
  settings: 'Settings',
};

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The dashboard: the sign-in form, or the signed-in shell with its pages. */
export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState<LiveStatus | 'signed out'>('signed out');

  const signOut = () => {
    storeToken('');
    setSession((current) => {
      current?.live.dispose();
      return null;
    });
    setStatus('signed out');
  };

  const signIn = async (token: string) => {
    try {
      const userId = await whoIs(token);
      storeToken(token);
      const live = new Live(token);
      live.onStatus(setStatus);
      setStatus(live.status);
      setError('');
      setSession({
        token,
        userId,
        live,
        api: (query, variables) => request(token, query, variables),
        signOut,
      });
    } catch (problem) {
      setError(`Not signed in: ${failure(problem)}`);
    }
  };

  useEffect(() => {
    const token = storedToken();
    if (token) void signIn(token);
  }, []);

  return (
    <>
      <header class="top">
        <h1>Todo events</h1>
        <span class="status" data-testid="status" role="status">
          {status}
        </span>
        {session && (
          <button type="button" class="quiet" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      {session ? (
        <SessionContext.Provider value={session}>
          <SignedIn />
        </SessionContext.Provider>
      ) : (
        <main>
          <SignIn onToken={(token) => void signIn(token)} error={error} />
        </main>
      )}
    </>
  );
}

function SignedIn() {
  const route = useRoute();
  const page = useMemo(() => {
    switch (route.page) {
      case 'labels':
        return <LabelsPage />;
      case 'overview':
        return <OverviewPage />;
      case 'settings':
        return <SettingsPage />;
      default:
        return <TasksPage params={route.params} />;
    }
  }, [route]);
  useEffect(() => {
    document.title = `${TITLES[route.page]} · Todo events`;
  }, [route.page]);
  return (
    <>
      <nav aria-label="Pages">
        {PAGES.map((name) => (
          <a href={hrefOf(name)} aria-current={route.page === name ? 'page' : undefined}>
            {TITLES[name]}
          </a>
        ))}
      </nav>
      <ReminderNotices />
      <main id="main">{page}</main>
    </>
  );
}
