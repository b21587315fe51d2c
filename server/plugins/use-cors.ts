import type { Plugin } from 'graphql-yoga';

const ALLOWED_HEADERS = 'authorization, content-type, accept, x-request-id';

/**
 * Lets pages from the listed origins (`CORS_ORIGINS`) read the API's answers, and no others: any
 * other origin gets no CORS header, so the browser keeps the answer from its page. Never with
 * credentials: the API reads the bearer token a page sends, no cookie. Use it with yoga's own
 * `cors: false`, whose default allows every origin.
 */
export function useCors(origins: readonly string[]): Plugin {
  const allowed = new Set(origins);
  const allowedOrigin = (request: Request) => {
    const origin = request.headers.get('origin');
    return origin !== null && allowed.has(origin) ? origin : undefined;
  };
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      const headers = new fetchAPI.Headers({ 'content-length': '0', vary: 'Origin' });
      const origin = allowedOrigin(request);
      if (origin) {
        headers.set('access-control-allow-origin', origin);
        headers.set('access-control-allow-methods', 'GET, POST');
        headers.set('access-control-allow-headers', ALLOWED_HEADERS);
        headers.set('access-control-max-age', '600');
      }
      endResponse(new fetchAPI.Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      response.headers.append('vary', 'Origin');
      const origin = allowedOrigin(request);
      if (!origin) return;
      response.headers.set('access-control-allow-origin', origin);
      response.headers.set('access-control-expose-headers', 'x-request-id');
    },
  };
}
