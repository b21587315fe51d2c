import { pino } from 'pino';
import { KafkaAccessError } from '../../messaging/kafka-access-error.ts';
import { KafkaUnreachableError } from '../../messaging/kafka-unreachable-error.ts';
import type { EventTransport } from '../../messaging/transport.ts';
import { eventually } from '../../test/kafka.ts';
import { setUpTopics } from './topic-setup.ts';

const quiet = pino({ level: 'silent' });
const away = () => new KafkaUnreachableError(['127.0.0.1:1'], new Error('connect ECONNREFUSED'));
const refusal = () => new KafkaAccessError('authentication', 'Kafka authentication failed', null);

/** A transport whose `ensureTopics` answers each call with the next of `outcomes`. */
function transportAnswering(outcomes: Array<Error | undefined>) {
  let calls = 0;
  const transport = {
    kind: 'kafka',
    ensureTopics: async () => {
      const outcome = outcomes[Math.min(calls++, outcomes.length - 1)];
      if (outcome) throw outcome;
    },
  } as unknown as EventTransport;
  return { transport, calls: () => calls };
}

it('a refusal at start is thrown at once', async () => {
  const { transport } = transportAnswering([refusal()]);
  await expect(setUpTopics(transport, [], quiet)).rejects.toBeInstanceOf(KafkaAccessError);
});

it('with Kafka away, tries again in the background and is not ready until the topics exist', async () => {
  const { transport, calls } = transportAnswering([away(), away(), undefined]);
  const setup = await setUpTopics(transport, [], quiet);
  await expect(setup.check()).rejects.toThrow(
    'Kafka topics not set up yet: Kafka is unreachable at 127.0.0.1:1',
  );
  await eventually(() => calls() === 3, 'the third attempt', 10_000);
  await expect(setup.check()).resolves.toBeUndefined();
  setup.stop();
});

it('a refusal once Kafka answers rejects `refused`, and it stops trying', async () => {
  const { transport, calls } = transportAnswering([away(), refusal()]);
  const setup = await setUpTopics(transport, [], quiet);
  await expect(setup.refused).rejects.toBeInstanceOf(KafkaAccessError);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(calls()).toBe(2);
  setup.stop();
});
