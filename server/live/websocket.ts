import type { Server } from 'node:http';
import type {
  ExecutionArgs,
  ExecutionResult,
  FormattedExecutionResult,
  GraphQLError,
} from 'graphql';
import { CloseCode, type OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import { callAt } from '../../lib/call-at.ts';
import { IdentityProviderUnavailable } from '../auth/auth-errors.ts';
import { AuthError, bearerToken, type Principal } from '../auth/jwt.ts';
import type { Logger } from '../../lib/logger.ts';
import { maskError } from '../mask-errors.ts';
import { runLiveStream } from './live-stream.ts';
import { sharedLiveField, shareKeyOf, SharedResults } from './shared-operation.ts';

/** Close code telling a client that the server is restarting and it should reconnect. */
export const CLOSE_SERVICE_RESTART = 1012;
/** Close code telling a client its token could not be checked yet: reconnect later. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
const CLOSE_WAIT_MS = 1_000;
/**
 * The largest message a client may send. A graphql-ws message is one operation (query text and
 * variables), far below this; `ws` closes a socket whose message announces or reaches more with
 * 1009 (Message Too Big) without buffering it. Its default, 100 MiB, let token-less sockets
 * exhaust the process's memory.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** How long a socket may stay open without `connection_init`; then graphql-ws closes it (4408). */
export const CONNECTION_INIT_TIMEOUT_MS = 3_000;

/** What the WebSocket endpoint runs on. */
export interface GraphQLWebSocketOptions {
  server: Server;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any yoga context shape
  yoga: YogaServerInstance<any, any>;
  /** The verifier every path shares (`createTokenVerifier(...).verify`). */
  verify: (token: string) => Promise<Principal>;
  logger: Logger;
  path?: string;
}

/** The running WebSocket endpoint. */
export interface GraphQLWebSocket {
  /** Sockets open now. */
  readonly connections: number;
  /** Closes every socket with 1012 (reconnect) and stops accepting new ones. */
  close(): Promise<void>;
}

interface Extra {
  token?: string;
  /** Cancels the close at token expiry. */
  cancelExpiry?: () => void;
}

/** The bearer token a client sends in `connectionParams`: `{ authorization: "Bearer <JWT>" }`. */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string {
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header === 'string') return bearerToken(header);
  if (typeof params?.token === 'string' && params.token) return params.token;
  throw new AuthError(
    'Missing credentials: send connectionParams { authorization: "Bearer <JWT>" }.',
  );
}

/**
 * Serves GraphQL over WebSocket (the graphql-ws protocol) on the API's HTTP server. Connections
 * are authenticated once, at `connection_init`, and refused with 4403 without a valid token;
 * each operation then runs through yoga's own plugins (auth, validation, limits, errors) with that
 * token, as an HTTP request would. The socket closes with 4401 when the token expires.
 *
 * The live feeds (`taskEvents`, `reminders` alone in a subscription) are the exception once
 * subscribed: their events are executed and serialized once per user and selection and written
 * to every such subscriber's socket as it is, without yoga's per-operation execute hooks (errors
 * are masked here as yoga masks them); see live-stream.ts for the per-socket bound.
 */
export function serveGraphQLWebSocket(options: GraphQLWebSocketOptions): GraphQLWebSocket {
  const { yoga, verify } = options;
  const logger = options.logger.child({ component: 'graphql-ws' });
  const wss = new WebSocketServer({
    server: options.server,
    path: options.path ?? '/graphql',
    maxPayload: MAX_MESSAGE_BYTES,
  });
  const extraOf = (ctx: { extra: unknown }) => ctx.extra as Extra & { socket: WebSocket };
  const shared = new SharedResults();

  const disposable = useServer(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onNext: (_ctx, _id, _payload, _args, result) => withoutHttpHints(result),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: async (args) => {
        const root = args.rootValue as EnvelopedRoot;
        if (!root.live) return root.subscribe(args);
        const result = await runLiveStream({
          ...root.live,
          args,
          shared,
          format: (executed) => {
            const result = masked(executed);
            return withoutHttpHints(result) ?? formatted(result);
          },
        });
        return 'errors' in result ? masked(result) : result;
      },
      onConnect: async (ctx) => {
        const extra = extraOf(ctx);
        try {
          const token = tokenOf(ctx.connectionParams);
          const principal = await verify(token);
          extra.token = token;
          // The socket may have closed while the token was checked; onClose has run then.
          if (extra.socket.readyState !== extra.socket.OPEN) return false;
          extra.cancelExpiry = callAt(principal.expiresAt, () =>
            extra.socket.close(CloseCode.Unauthorized, 'Token expired'),
          );
          return true;
        } catch (error) {
          if (error instanceof IdentityProviderUnavailable) {
            // 1013 Try Again Later: the token may be good, the keys to check it are not at hand.
            logger.warn({ reason: error.message }, 'could not check a WebSocket token');
            extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'Identity provider unavailable');
            return false;
          }
          if (!(error instanceof AuthError)) throw error;
          logger.info({ reason: error.message }, 'refused a WebSocket connection');
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const extra = extraOf(ctx);
        const request = new Request('http://websocket/graphql', {
          headers: { authorization: `Bearer ${extra.token}` },
        });
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
          params: payload,
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as never];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const contextValue = (await contextFactory()) as { userId?: string };
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue,
        };
        const root: EnvelopedRoot = { execute, subscribe };
        // A live feed's subscribers of one user share each event's result (live-stream.ts).
        const field = contextValue.userId ? sharedLiveField(args) : undefined;
        if (field) {
          const key = shareKeyOf(contextValue.userId!, args, field);
          root.live = { socket: extra.socket, id, key };
        }
        return { ...args, rootValue: root };
      },
      onClose: (ctx) => extraOf(ctx).cancelExpiry?.(),
    },
    wss,
  );
  // ws emits 'error' on a socket for a protocol violation (an over-large message, bad UTF-8…)
  // after it has already started closing it with the matching code. graphql-ws would print each
  // one with console.error, which any client could trigger at will: log it quietly instead. (Added
  // after useServer, so that its listener, added on 'connection' too, is there to be replaced.)
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: string }) =>
      logger.info({ reason: error.message, code: error.code }, 'closed a misbehaving WebSocket'),
    );
  });

  return {
    get connections() {
      return wss.clients.size;
    },
    async close() {
      const closed = [...wss.clients].map(
        (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
      );
      for (const socket of wss.clients) socket.close(CLOSE_SERVICE_RESTART, 'Server restarting');
      // A client that does not answer the close handshake must not hold up shutdown.
      await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS))]);
      for (const socket of wss.clients) socket.terminate();
      await disposable.dispose();
    },
  };
}

/**
 * A result as a client should see it: yoga strips the `http` hints (the status a domain error
 * is answered with) from errors on HTTP; graphql-ws serializes errors whole, so they go here.
 */
function withoutHttpHints(result: {
  errors?: readonly GraphQLError[];
}): FormattedExecutionResult | void {
  if (!result.errors?.some((error) => error.extensions.http)) return;
  const errors = result.errors.map((error) => {
    const formatted = error.toJSON();
    const extensions = { ...formatted.extensions };
    delete extensions.http;
    return { ...formatted, extensions };
  });
  return { ...result, errors } as FormattedExecutionResult;
}

/** A result as graphql-ws sends it when no hint needs stripping: errors serialized whole. */
function formatted({ errors, ...rest }: ExecutionResult): FormattedExecutionResult {
  return errors ? { ...rest, errors: errors.map((error) => error.toJSON()) } : rest;
}

/**
 * A result with its errors masked as yoga masks them (for the live feeds, which graphql-ws runs
 * without yoga's execute: see live-stream.ts).
 */
function masked(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) => maskError(error, 'Unexpected error.'));
  return { ...result, errors: errors as GraphQLError[] };
}

/**
 * yoga's enveloped execute and subscribe, passed to graphql-ws as the root value; `live` when
 * the operation is a live feed whose results its user's subscribers share.
 */
interface EnvelopedRoot {
  execute(args: ExecutionArgs): OperationResult;
  subscribe(args: ExecutionArgs): OperationResult;
  live?: { socket: WebSocket; id: string; key: string };
}
