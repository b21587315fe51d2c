import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

const DIST = new URL('../dashboard/dist/', import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/app.js.map': { file: 'app.js.map', type: 'application/json' },
  '/dashboard/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  // At the root, so that the worker's scope is the whole dashboard.
  '/sw.js': { file: 'sw.js', type: 'text/javascript; charset=utf-8' },
  '/sw.js.map': { file: 'sw.js.map', type: 'application/json' },
};

/** Whether a request path is one of the dashboard's files. */
export const isDashboardPath = (path: string): boolean => Object.hasOwn(FILES, path);

/**
 * Serves the dashboard bundle (`npm run build:dashboard`, run by `npm start` and `npm run
 * build`) from memory. It talks to the public GraphQL API only; the page asks for a token.
 */
export async function loadDashboard(): Promise<(path: string, res: ServerResponse) => void> {
  const loaded = new Map<string, Buffer>();
  for (const [path, { file }] of Object.entries(FILES)) {
    try {
      loaded.set(path, await readFile(new URL(file, DIST)));
    } catch {
      // Not built: the handler says how to build it.
    }
  }
  return (path, res) => {
    const body = loaded.get(path);
    if (!body) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The dashboard is not built: run `npm run build:dashboard`.\n');
      return;
    }
    res.writeHead(200, {
      'content-type': FILES[path]!.type,
      'cache-control': 'no-cache',
      'content-security-policy':
        "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:",
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  };
}

/** The path of a request, without its query string. */
export const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0]!;
