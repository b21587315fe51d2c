import { createServer } from 'node:http';
import { renderMetrics } from '../../lib/metrics.ts';
import { NamedError } from '../../model/errors.ts';

/** The running metrics endpoint. */
export interface MetricsServer {
  /** Where Prometheus scrapes: `http://<host>:<port>/metrics`. */
  url: string;
  stop(): Promise<void>;
}

/** Thrown when the metrics port cannot be bound; says which variable to change. */
export class MetricsPortError extends NamedError {}

/**
 * Serves the process's metrics (Prometheus text format) at `GET /metrics` on a port of its own
 * (`METRICS_PORT`), apart from the API: the scraper reaches it, and what the API port serves to
 * anyone carries none of it. Every other path is 404.
 */
export async function startMetricsServer(options: {
  port: number;
  host: string;
}): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: string, contentType = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    };
    if ((req.url ?? '/').split('?')[0] !== '/metrics')
      return reply(404, 'Not found: try /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'GET only\n');
    renderMetrics().then(
      ({ contentType, body }) => reply(200, body, contentType),
      () => reply(500, 'Metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new MetricsPortError(
              `METRICS_PORT ${options.port} is in use on ${options.host}: set METRICS_PORT to a free port (0 picks one).`,
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
