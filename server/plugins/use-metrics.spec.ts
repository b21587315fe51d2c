import { createGraphQLError, createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { useMetrics } from './use-metrics.ts';

const schema = () =>
  createSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        a: Int!
        fails: Int
        alsoFails: Int
      }
      type Mutation {
        set: Int!
      }
      type Subscription {
        ticks: Int!
      }
    `,
    resolvers: {
      Query: {
        a: () => 1,
        fails: () => {
          throw new Error('no');
        },
        alsoFails: () => {
          throw new Error('no');
        },
      },
      Mutation: { set: () => 2 },
      Subscription: {
        ticks: {
          async *subscribe() {
            yield { ticks: 1 };
            yield { ticks: 2 };
          },
        },
      },
    },
  });

/** Refuses, while the context is built, every request with `x-refuse`, as the auth plugin does. */
const refuser: Plugin<{ request: Request }> = {
  onContextBuilding({ context }) {
    if (context.request.headers.get('x-refuse'))
      throw createGraphQLError('refused', { extensions: { http: { status: 401 } } });
  },
};

/** A yoga with the metrics plugin, a way to post to it, and its registry's series by name. */
function metered() {
  const registry = new Registry();
  const yoga = createYoga({
    schema: schema(),
    plugins: [useMetrics({ registry }), refuser],
    logging: false,
  });
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.text() };
  };
  /** `name`'s samples (for a histogram, pass its `_count`) as label sets with their values. */
  const samples = async (name: string) => {
    const text = await registry.metrics();
    return [...text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))].map((match) => ({
      labels: Object.fromEntries(
        [...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1]!, label[2]!]),
      ),
      value: Number(match[2]),
    }));
  };
  return { yoga, post, samples };
}

const errorsOf = async (samples: ReturnType<typeof metered>['samples']) =>
  (await samples('graphql_envelop_error_result')).map(({ labels, value }) => ({
    ...labels,
    value,
  }));

describe('request metrics', () => {
  it('times a query over HTTP and through execution, labelled by its type and name', async () => {
    const { post, samples } = metered();
    expect((await post({ query: 'query Both { a }' })).status).toBe(200);
    expect((await post({ query: 'mutation Set { set }' })).status).toBe(200);

    expect(await samples('graphql_yoga_http_duration_count')).toEqual(
      expect.arrayContaining([
        {
          labels: {
            operationType: 'query',
            operationName: 'Both',
            method: 'POST',
            statusCode: '200',
          },
          value: 1,
        },
        {
          labels: {
            operationType: 'mutation',
            operationName: 'Set',
            method: 'POST',
            statusCode: '200',
          },
          value: 1,
        },
      ]),
    );
    for (const name of ['graphql_envelop_request_duration', 'graphql_envelop_phase_execute']) {
      expect(await samples(`${name}_count`)).toEqual([
        { labels: { operationType: 'query', operationName: 'Both' }, value: 1 },
        { labels: { operationType: 'mutation', operationName: 'Set' }, value: 1 },
      ]);
    }
    expect(await errorsOf(samples)).toEqual([]);
  });

  it('labels an operation without a name Anonymous, and an unparsable one unknown', async () => {
    const { post, samples } = metered();
    await post({ query: '{ a }' });
    await post({ query: '{ a' });
    expect(await samples('graphql_envelop_phase_execute_count')).toEqual([
      { labels: { operationType: 'query', operationName: 'Anonymous' }, value: 1 },
    ]);
    expect(await errorsOf(samples)).toEqual([
      { operationType: 'unknown', operationName: 'Anonymous', phase: 'parse', value: 1 },
    ]);
  });

  it('counts a document that does not validate once, in the validate phase, and runs nothing', async () => {
    const { post, samples } = metered();
    const response = await post({ query: 'query Bad { nope also }' });
    expect(JSON.parse(response.body).errors).toHaveLength(2);
    expect(await errorsOf(samples)).toEqual([
      { operationType: 'query', operationName: 'Bad', phase: 'validate', value: 1 },
    ]);
    expect(await samples('graphql_envelop_phase_execute_count')).toEqual([]);
  });

  it('counts a refusal while the context is built in the context phase', async () => {
    const { post, samples } = metered();
    const response = await post({ query: 'query Mine { a }' }, { 'x-refuse': '1' });
    expect(response.status).toBe(401);
    expect(await errorsOf(samples)).toEqual([
      { operationType: 'query', operationName: 'Mine', phase: 'context', value: 1 },
    ]);
    expect(await samples('graphql_yoga_http_duration_count')).toEqual([
      {
        labels: {
          operationType: 'query',
          operationName: 'Mine',
          method: 'POST',
          statusCode: '401',
        },
        value: 1,
      },
    ]);
  });

  it('counts each error of an executed result in the execute phase', async () => {
    const { post, samples } = metered();
    const response = await post({ query: 'query Two { a fails alsoFails }' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).errors).toHaveLength(2);
    expect(await errorsOf(samples)).toEqual([
      { operationType: 'query', operationName: 'Two', phase: 'execute', value: 2 },
    ]);
    expect(await samples('graphql_envelop_phase_execute_count')).toEqual([
      { labels: { operationType: 'query', operationName: 'Two' }, value: 1 },
    ]);
  });

  it('times a subscription from subscribe to its end', async () => {
    const { post, samples } = metered();
    const sse = { accept: 'text/event-stream' };
    const ticks = await post({ query: 'subscription Ticks { ticks }' }, sse);
    expect(ticks.body).toContain('"ticks":2');
    expect(await samples('graphql_envelop_phase_subscribe_count')).toEqual([
      { labels: { operationType: 'subscription', operationName: 'Ticks' }, value: 1 },
    ]);
    expect(await samples('graphql_envelop_request_duration_count')).toEqual([
      { labels: { operationType: 'subscription', operationName: 'Ticks' }, value: 1 },
    ]);
  });
});
