import { randomUUID } from 'node:crypto';
import { renderMetrics } from '../lib/metrics.ts';
import { useTestApi } from '../test/api.ts';

const api = useTestApi();
const base = () => api.url.replace(/\/graphql$/, '');
const scrape = async () => (await renderMetrics()).body;
const operationNamesIn = (text: string) =>
  new Set([...text.matchAll(/operationName="([^"]*)"/g)].map((match) => match[1]!));

it('does not serve /metrics on the API port, to anyone', async () => {
  const { token } = await api.user('metrics');
  const asked: Record<string, string>[] = [
    {},
    { authorization: `Bearer ${token}` },
    { accept: 'text/plain' },
  ];
  for (const headers of asked) {
    const response = await fetch(`${base()}/metrics`, { headers });
    const text = await response.text();
    expect(response.status).toBe(404);
    expect(text).not.toContain('# TYPE');
  }
});

it('random operationNames cannot grow the metrics without bound: past a cap they count as <other>', async () => {
  const user = await api.user('metrics');
  const names = Array.from({ length: 200 }, () => `Probe_${randomUUID().replaceAll('-', '')}`);
  for (const name of names) {
    const response = await user.gql(`query ${name} { __typename }`);
    expect(response.status).toBe(200);
  }
  // Names a client sends in `operationName` that its document does not define count the same.
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
    body: JSON.stringify({ query: '{ __typename }', operationName: 'x'.repeat(5_000) }),
  });
  await response.arrayBuffer();

  const labelled = operationNamesIn(await scrape());
  expect(names.filter((name) => labelled.has(name)).length).toBeLessThan(100);
  expect(labelled).toContain('<other>');
  expect([...labelled].every((name) => name.length <= 100)).toBe(true);
  expect(labelled.size).toBeLessThan(150);
});

it('labels no URL: the query string of a GET, with its variables, stays out of the metrics', async () => {
  const user = await api.user('metrics');
  const secret = `secret-${randomUUID()}`;
  const url = new URL(api.url);
  url.searchParams.set(
    'query',
    'query Search($q: String!) { searchTasks(query: $q) { __typename } }',
  );
  url.searchParams.set('variables', JSON.stringify({ q: secret }));
  const response = await fetch(url, { headers: { authorization: `Bearer ${user.token}` } });
  expect(response.status).toBe(200);
  await response.arrayBuffer();

  const text = await scrape();
  expect(text).toMatch(/^graphql_yoga_http_duration_count\{[^}]*method="GET"[^}]*\} \d+$/m);
  expect(text).not.toContain(secret);
  expect(text).not.toMatch(/\burl="/);
});
