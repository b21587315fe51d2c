import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { request } from './api/graphql.ts';
import type { Live } from './api/live.ts';

/** The signed-in user and what every page talks to the API with. */
export interface Session {
  token: string;
  userId: string;
  /** Runs one GraphQL operation as this user (see api/graphql.ts `request`). */
  api<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The page's live connection: task events (with resume) and reminders. */
  live: Live;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

/** The session of the signed-in page; components under the signed-in shell only. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in dashboard');
  return session;
}

const TOKEN_KEY = 'todo-events-token';

/** The token kept for this tab, if any. */
export const storedToken = (): string => sessionStorage.getItem(TOKEN_KEY) ?? '';
export const storeToken = (token: string): void =>
  token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY);

/** Checks a token against the API; resolves with the user it names. */
export async function whoIs(token: string): Promise<string> {
  const data = await request<{ me: { id: string } }>(token, 'query { me { id } }');
  return data.me.id;
}
