import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../schema/context.ts';
import type { Logger } from '../../lib/logger.ts';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives every operation a request id (the caller's `X-Request-Id` when well-formed) and a child
 * logger that carries it, and echoes the id in the response.
 */
export function useRequestId({
  logger,
}: {
  logger: Logger;
}): Plugin<{ request: Request } & Pick<GraphQLContext, 'requestId' | 'logger'>> {
  const ids = new WeakMap<Request, string>();
  const idOf = (request: Request) => {
    let id = ids.get(request);
    if (!id) {
      const given = request.headers.get('x-request-id');
      id = given && REQUEST_ID.test(given) ? given : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  return {
    onContextBuilding({ context, extendContext }) {
      const requestId = idOf(context.request);
      extendContext({ requestId, logger: logger.child({ requestId }) });
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', idOf(request));
    },
  };
}
