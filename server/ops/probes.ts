import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../lib/logger.ts';
import { notReadyReason, type ReadinessCheck } from './readiness.ts';

/** The paths a probe answers. */
export const isProbePath = (path: string): boolean => path === '/health' || path === '/ready';

/**
 * Answers the probes at `path`: `/health` (the process is up; no dependency is asked) and
 * `/ready` (200 when every check passes, 503 with the reason otherwise), GET or HEAD only.
 */
export function probeResponder(checks: ReadinessCheck[], logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, '{"error":"GET only"}');
    if (path === '/health') return reply(200, '{"status":"ok"}');
    void notReadyReason(checks).then((reason) => {
      if (reason) logger.warn({ reason }, 'not ready');
      reply(
        reason ? 503 : 200,
        JSON.stringify(reason ? { status: 'not ready', reason } : { status: 'ready' }),
      );
    });
  };
}
