import { pino } from 'pino';
import { createTask } from '../domain/task-commands.ts';
import { TOPICS } from '../model/events/topics.ts';
import { requireTestEnv } from '../test/env.ts';
import { useTestApi } from '../test/api.ts';
import { collect, eventually, testKafka, testTopics } from '../test/kafka.ts';
import { startRole } from '../test/roles.ts';
import { notifyRelaysAfterCommit } from './notify-relays.ts';

const api = useTestApi({ ownDatabase: true });
const TOOK_TURN = /"msg":"took the publishing turn"/;
const RATE = 100;

it('a standby relay takes over within 2 s of the active one being SIGKILLed, and no event is lost', async () => {
  const transport = testKafka();
  await transport.ensureTopics(testTopics());
  const onKafka = await collect(transport, [TOPICS.taskEvents.name]);
  const stopNotifying = notifyRelaysAfterCommit(api.knex, pino({ level: 'silent' }));
  const env = { DATABASE_URL: api.databaseUrl, KAFKA_BROKERS: requireTestEnv('KAFKA_BROKERS') };
  const active = startRole('relay', env);
  let standby: ReturnType<typeof startRole> | undefined;
  try {
    await active.url();
    await eventually(() => TOOK_TURN.test(active.output()), 'the first relay to take the turn');
    standby = startRole('relay', env);
    await standby.url();
    const userId = `failover-${Date.now()}`;
    const written: string[] = [];
    let killedAt = 0;
    const started = Date.now();
    for (let i = 0; i < RATE * 6; i++) {
      const wait = started + (i * 1000) / RATE - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (i === RATE * 2) {
        active.child.kill('SIGKILL');
        killedAt = Date.now();
      }
      written.push((await createTask({ db: api.knex, userId }, { title: `t${i}` })).id);
    }
    expect(TOOK_TURN.test(standby.output())).toBe(true);

    const ours = new Set(written);
    const delivered = () => onKafka.messages.filter((m) => ours.has(m.key ?? ''));
    await eventually(
      () => new Set(delivered().map((m) => m.key)).size === written.length,
      'every written event on Kafka',
      30_000,
    );
    const firstAfterKill = Math.min(
      ...delivered()
        .map((m) => m.timestamp)
        .filter((at) => at > killedAt),
    );
    expect(firstAfterKill - killedAt).toBeLessThan(2_000);
    // At most what the killed relay had claimed but not marked is published twice.
    expect(delivered().length - written.length).toBeLessThanOrEqual(1_000);
  } finally {
    stopNotifying();
    active.child.kill('SIGKILL');
    await standby?.stop();
    await onKafka.stop();
    await transport.close();
  }
}, 120_000);
