import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { createYoga } from 'graphql-yoga';
import type { Knex } from 'knex';
import { createGraphQLClient } from '../mcp-adapter/graphql-client.ts';
import { createMcpHttpHandler } from '../mcp-adapter/transports/http.ts';
import { schema } from '../schema/index.ts';
import type { GraphQLContext } from '../schema/context.ts';
import type { ChannelSettings } from '../domain/channel-settings.ts';
import type { Logger } from '../lib/logger.ts';
import type { ExpectedClaims } from './auth/jwt.ts';
import { secretAuthOptions, type AuthOptions } from './auth/auth-options.ts';
import { createTokenVerifier } from './auth/verifier.ts';
import {
  isMetadataPath,
  mcpResourceUrl,
  metadataUrl,
  publicBaseUrl,
  wwwAuthenticate,
} from './auth/protected-resource.ts';
import { mcpChallenge, protectedResourceHandler } from './auth/resource-metadata-handler.ts';
import { DEFAULT_KEEP_ALIVE_SECONDS } from './config.ts';
import { useAuth } from './plugins/use-auth.ts';
import { useBodyLimit } from './plugins/use-body-limit.ts';
import { useCompiledExecution } from './plugins/use-compiled-execution.ts';
import { useCors } from './plugins/use-cors.ts';
import { useMetrics } from './plugins/use-metrics.ts';
import { useRequestId } from './plugins/use-request-id.ts';
import { isDashboardPath, loadDashboard, pathOf } from './dashboard.ts';
import { maskError } from './mask-errors.ts';
import { sequenceReader } from '../outbox/user-events.ts';
import { LiveHub } from './live/live-hub.ts';
import { metricsRegistry, reportLiveConnections } from '../lib/metrics.ts';
import { isProbePath, probeResponder } from './ops/probes.ts';
import { dependencyChecks, withTimeout, type ReadinessCheck } from './ops/readiness.ts';
import { serveGraphQLWebSocket, type GraphQLWebSocket } from './live/websocket.ts';

/**
 * The largest request body the API reads: an operation is a few KiB (descriptions are capped at
 * 10,000 characters); yoga's default is 25 MB.
 */
const MAX_REQUEST_BODY_BYTES = 1_000_000;

/** What the API server needs from the process that runs it. */
export interface AppOptions {
  knex: Knex;
  logger: Logger;
  /** How tokens are verified (`config.auth`); without it, HS256 with `jwtSecret` and `expectedClaims`. */
  auth?: AuthOptions;
  /** HS256 secret, when `auth` is not given (tests, benchmarks). */
  jwtSecret?: string;
  /** The `iss` and `aud` tokens must carry (`AUTH_ISSUER`, `AUTH_AUDIENCE`); unchecked when unset. */
  expectedClaims?: ExpectedClaims;
  port: number;
  host: string;
  /**
   * How long an idle HTTP connection stays open for the client's next request
   * (`HTTP_KEEP_ALIVE_SECONDS`); 65 s by default.
   */
  keepAliveSeconds?: number;
  /** Origins whose pages may read the API's answers (`CORS_ORIGINS`); none by default. */
  corsOrigins?: readonly string[];
  /** Serve GraphiQL at `GET /graphql`; the user pastes a token into its headers. */
  graphiql: boolean;
  /** What `/ready` checks; PostgreSQL alone by default (see `dependencyChecks`). */
  readinessChecks?: ReadinessCheck[];
  /** The fan-out subscriptions read from; feed it with `startLiveFeed`. A new one by default. */
  live?: LiveHub;
  /** The fields whose resolvers are timed (`METRICS_RESOLVERS`: `Type.field`, `Type.*`, `*`); none by default. */
  resolverMetrics?: readonly string[];
  /** What notification channels can be set up (push keys, email); none by default. */
  channels?: ChannelSettings;
}

/** A started API server. */
export interface App {
  url: string;
  server: Server;
  live: LiveHub;
  websocket: GraphQLWebSocket;
  /** Closes WebSockets with 1012 (reconnect), finishes requests in hand, and stops. */
  stop(): Promise<void>;
}

/**
 * Builds the HTTP server that serves the dashboard at `/`, GraphQL (HTTP, SSE and WebSocket at
 * `/graphql`), `/health`, `/ready` and MCP at `/mcp`. Its metrics are in `metricsRegistry`, for
 * the metrics server (ops/metrics-server.ts) to serve on a port of its own.
 */
export function buildApp(options: AppOptions): { start(): Promise<App> } {
  const { knex, logger } = options;
  const live =
    options.live ??
    new LiveHub({ reader: sequenceReader(knex), logger: logger.child({ component: 'live' }) });
  const { corsOrigins = [] } = options;
  if (!options.auth && !options.jwtSecret) throw new TypeError('buildApp needs auth or jwtSecret');
  const auth = options.auth ?? secretAuthOptions(options.jwtSecret!, options.expectedClaims);
  const verifier = createTokenVerifier(auth);
  const readinessChecks = [
    ...(options.readinessChecks ?? dependencyChecks(knex)),
    ...(auth.jwks ? [withTimeout("The identity provider's keys", verifier.check)] : []),
  ];
  // HS256 alone: plain `Bearer` as before. With an identity provider: where to sign in, and why
  // a token that was sent is refused (RFC 6750 sends no error when no token came).
  const graphqlChallenge = (request: Request, refusal: string) => {
    if (auth.authorizationServers.length === 0) return 'Bearer';
    const sent = /^Bearer\s+\S/i.test(request.headers.get('authorization') ?? '');
    const base = publicBaseUrl(auth, { headers: Object.fromEntries(request.headers) });
    return wwwAuthenticate({
      resourceMetadata: metadataUrl(mcpResourceUrl(base)),
      refusal: sent ? refusal : undefined,
    });
  };
  const channels: ChannelSettings = options.channels ?? {
    vapidPublicKey: undefined,
    mailer: undefined,
    allowPrivateAddresses: false,
    publicUrl: `http://${options.host}:${options.port}`,
  };
  const yoga = createYoga<
    Record<string, never>,
    Pick<GraphQLContext, 'knex' | 'live' | 'channels'>
  >({
    schema,
    logging: logger.child({ component: 'yoga' }),
    context: () => ({ knex, live, channels }),
    graphiql: options.graphiql
      ? {
          title: 'Todo events',
          headers: JSON.stringify({ Authorization: 'Bearer <the token `npm start` printed>' }),
        }
      : false,
    landingPage: false,
    cors: false,
    // useBodyLimit enforces MAX_REQUEST_BODY_BYTES instead, more cheaply.
    maxRequestBodySize: false,
    maskedErrors: { maskError },
    plugins: [
      ...(corsOrigins.length > 0 ? [useCors(corsOrigins)] : []),
      useBodyLimit(MAX_REQUEST_BODY_BYTES),
      useRequestId({ logger }),
      useMetrics({ registry: metricsRegistry, resolvers: options.resolverMetrics }),
      useAuth({ verify: verifier.verify, challenge: graphqlChallenge }),
      useCompiledExecution(),
    ],
  });

  // MCP tool calls run through yoga's own fetch, in-process, with the caller's token.
  const mcp = createMcpHttpHandler({
    graphql: (token) =>
      createGraphQLClient({ url: 'http://in-process/graphql', token, fetch: yoga.fetch }),
    challenge: (req, refusal) => mcpChallenge(auth, req, refusal),
    logger: logger.child({ component: 'mcp' }),
  });
  const resourceMetadata = protectedResourceHandler(auth);
  const probes = probeResponder(readinessChecks, logger);
  let dashboard: Awaited<ReturnType<typeof loadDashboard>> | undefined;
  const server = createServer((req, res) => {
    const path = pathOf(req);
    if (/^\/mcp\/?$/.test(path)) void mcp(req, res);
    else if (isMetadataPath(path)) resourceMetadata(req, res);
    // Before yoga: its readiness plugin parsed every request's URL (about 13 µs a request).
    else if (isProbePath(path)) probes(req, res, path);
    else if (dashboard && req.method === 'GET' && isDashboardPath(path)) dashboard(path, res);
    else void yoga(req, res);
  });
  // Longer than the idle timeout of the client or load balancer in front (60 s is common). With
  // Node's 5 s, a client that keeps connections longer can send a request into a connection the
  // server is closing, and that request fails (ECONNRESET; a 502 behind a load balancer).
  server.keepAliveTimeout = (options.keepAliveSeconds ?? DEFAULT_KEEP_ALIVE_SECONDS) * 1000;
  const websocket = serveGraphQLWebSocket({ server, yoga, verify: verifier.verify, logger });
  const unreport = reportLiveConnections({
    subscribers: () => live.subscriberCount,
    connections: () => websocket.connections,
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return {
    start: async () => {
      dashboard = await loadDashboard();
      return new Promise<App>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          const address = server.address();
          const port = typeof address === 'object' && address ? address.port : options.port;
          const host =
            options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
          resolve({
            url: `http://${host}:${port}`,
            server,
            live,
            websocket,
            stop: async () => {
              await websocket.close();
              live.closeAll();
              unreport();
              await new Promise<void>((done) => {
                server.close(() => done());
                server.closeIdleConnections();
                setTimeout(() => sockets.forEach((socket) => socket.destroy()), 5_000).unref();
              });
            },
          });
        });
      });
    },
  };
}
