import { createServer, type Server } from 'node:http';
import type { Logger } from '../../lib/logger.ts';
import { isProbePath, probeResponder } from './probes.ts';
import type { ReadinessCheck } from './readiness.ts';

/** The small HTTP server of a role without the API: `/health` and `/ready`. */
export interface OpsServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves `/health` (the process is up; no dependency is asked), `/ready` (200 when every check
 * passes, 503 with the reason otherwise). Metrics have a port of their own (ops/metrics-server.ts).
 */
export async function startOpsServer(options: {
  port: number;
  host: string;
  checks: ReadinessCheck[];
  logger: Logger;
}): Promise<OpsServer> {
  const probes = probeResponder(options.checks, options.logger);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (isProbePath(path)) return probes(req, res, path);
    res.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end('{"error":"not found: try /health or /ready"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
