import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { useMetrics } from './use-metrics.ts';

const schema = () =>
  createSchema({
    typeDefs: 'type Query { a: Int!, b: Int! }',
    resolvers: { Query: { a: () => 1, b: () => 2 } },
  });

/** Runs `{ a b }` through a yoga with the metrics plugin and returns the registry's text. */
async function scrapeAfterQuery(resolvers?: string[]): Promise<string> {
  const registry = new Registry();
  const yoga = createYoga({ schema: schema(), plugins: [useMetrics({ registry, resolvers })] });
  const response = await yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query Both { a b }' }),
  });
  expect(await response.json()).toEqual({ data: { a: 1, b: 2 } });
  return registry.metrics();
}

it('times no resolver by default, and still every operation', async () => {
  const text = await scrapeAfterQuery();
  expect(text).not.toContain('graphql_envelop_execute_resolver');
  expect(text).toMatch(
    /^graphql_envelop_phase_execute_count\{[^}]*operationName="Both"[^}]*\} 1$/m,
  );
});

it('times the resolvers of the fields it is given, and no others', async () => {
  const text = await scrapeAfterQuery(['Query.a']);
  expect(text).toMatch(/^graphql_envelop_execute_resolver_count\{[^}]*fieldName="a"[^}]*\} 1$/m);
  expect(text).not.toMatch(/fieldName="b"/);
});

it('times every resolver with *', async () => {
  const text = await scrapeAfterQuery(['*']);
  expect(text).toMatch(/fieldName="a"/);
  expect(text).toMatch(/fieldName="b"/);
});
