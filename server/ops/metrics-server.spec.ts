import { pino } from 'pino';
import { startMetricsServer } from './metrics-server.ts';
import { startOpsServer } from './ops-server.ts';

it('serves /metrics for the scraper on a port of its own, and nothing else', async () => {
  const server = await startMetricsServer({ port: 0, host: '127.0.0.1' });
  try {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const metrics = await fetch(server.url);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('# TYPE todo_outbox_backlog ');
    expect(text).toContain('process_resident_memory_bytes');

    const origin = new URL(server.url).origin;
    for (const path of ['/', '/graphql', '/health', '/metrics/x']) {
      expect((await fetch(`${origin}${path}`)).status).toBe(404);
    }
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  } finally {
    await server.stop();
  }
});

it('refuses to start on a port in use, naming METRICS_PORT', async () => {
  const first = await startMetricsServer({ port: 0, host: '127.0.0.1' });
  try {
    const port = Number(new URL(first.url).port);
    await expect(startMetricsServer({ port, host: '127.0.0.1' })).rejects.toThrow(
      `METRICS_PORT ${port} is in use`,
    );
  } finally {
    await first.stop();
  }
});

it('leaves /metrics off the ops port of a role without the API', async () => {
  const ops = await startOpsServer({
    port: 0,
    host: '127.0.0.1',
    checks: [],
    logger: pino({ level: 'silent' }),
  });
  try {
    expect((await fetch(`${ops.url}/health`)).status).toBe(200);
    expect((await fetch(`${ops.url}/ready`)).status).toBe(200);
    const metrics = await fetch(`${ops.url}/metrics`);
    expect(metrics.status).toBe(404);
    expect(await metrics.text()).not.toContain('# TYPE');
  } finally {
    await ops.stop();
  }
});
