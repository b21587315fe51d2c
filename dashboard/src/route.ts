import { useEffect, useState } from 'preact/hooks';

/** The dashboard's pages. */
export const PAGES = ['tasks', 'labels', 'overview', 'settings'] as const;
export type Page = (typeof PAGES)[number];

/** Where the page is: `#/<page>?<params>`, so a view can be bookmarked and shared. */
export interface Route {
  page: Page;
  params: URLSearchParams;
}

/**
 * The route in `hash`. A notification's link `#task=<id>` opens the task on the tasks page; an
 * unknown page is the tasks page.
 */
export function parseRoute(hash: string): Route {
  const legacy = /^#task=([\w-]+)$/.exec(hash);
  if (legacy) return { page: 'tasks', params: new URLSearchParams({ task: legacy[1]! }) };
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = (PAGES as readonly string[]).includes(path) ? (path as Page) : 'tasks';
  return { page, params: new URLSearchParams(query) };
}

/** The hash of a route; empty parameters are left out. */
export function hrefOf(page: Page, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => !!entry[1]),
  ).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
}

/** Goes to a route; `replace` keeps the browser's history as it is (for filters while typing). */
export function navigate(href: string, { replace = false } = {}): void {
  if (replace) {
    history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = href;
  }
}

/** The current route, following the location's hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}
