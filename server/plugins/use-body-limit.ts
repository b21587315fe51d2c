import { createGraphQLError, type Plugin } from 'graphql-yoga';

const CONTENT_LENGTH = /^\d+$/;

const tooLarge = () =>
  createGraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });

/**
 * Refuses a request body over `limit` bytes with 413, and a malformed Content-Length with 400, as
 * yoga's `maxRequestBodySize` does (use it with that option `false`), without passing every body
 * through a stream transform: Node's HTTP parser reads no more of a body than its Content-Length
 * says, so only a body without one (chunked, or a Request made in-process) is counted as it
 * streams. The transform cost more per request than the auth.
 */
export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!CONTENT_LENGTH.test(length)) {
          throw createGraphQLError('Content-Length header is invalid.', {
            extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
          });
        }
        if (Number(length) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser((unlimited) => {
        let read = 0;
        // As yoga does: a native stream needs the native TransformStream, a ponyfill the ponyfill's.
        const Transform =
          unlimited.body instanceof ReadableStream
            ? globalThis.TransformStream
            : fetchAPI.TransformStream;
        const body = unlimited.body!.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > limit) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        const init = { method: unlimited.method, headers: unlimited.headers, body, duplex: 'half' };
        return requestParser(
          new fetchAPI.Request(unlimited.url, { ...init, signal: unlimited.signal }),
        );
      });
    },
  };
}
