import type { OwnBroker } from '../../test/own-broker.ts';
import type { PgCluster } from '../../test/pg-cluster.ts';
import type { Stack, StackRole } from '../stack.ts';
import type { Window } from './http-log.ts';
import type { ChaosAction } from './schedule.ts';

/** What the disruptions did. */
export interface Disruptions {
  /** Processes killed with SIGKILL, by role. */
  killed: Record<StackRole, number>;
  /** Start attempts of a role that failed (e.g. PostgreSQL was down) and were made again. */
  failedStarts: number;
  kafkaDown: Window[];
  postgresDown: Window[];
  /** One line per disruption, in the order they happened. */
  log: string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Carries out `schedule` from `startedAt` on: SIGKILL a role's process and start it again
 * (again and again until it starts), stop and start the broker, crash PostgreSQL (immediate
 * shutdown) and start it again. A target's disruptions happen one after the other; different
 * targets' overlap when their times do. Resolves once everything is back up.
 */
export async function disrupt(
  schedule: ChaosAction[],
  startedAt: number,
  targets: { stack: Stack; broker: OwnBroker; postgres: PgCluster },
): Promise<Disruptions> {
  const result: Disruptions = {
    killed: { api: 0, relay: 0, notification: 0, recurrence: 0 },
    failedStarts: 0,
    kafkaDown: [],
    postgresDown: [],
    log: [],
  };
  // PostgreSQL's outage and the API's kills take turns, so that the API is up to answer while
  // PostgreSQL is down (what it answers then is part of the test).
  let apiOrPostgres: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = apiOrPostgres.then(work);
    apiOrPostgres = turn.catch(() => undefined);
    return turn;
  };
  const note = (line: string) =>
    result.log.push(`+${((Date.now() - startedAt) / 1000).toFixed(1)}s ${line}`);

  const startAgain = async (role: StackRole) => {
    for (;;) {
      try {
        return await targets.stack.restart(role);
      } catch (error) {
        result.failedStarts++;
        note(`${role} did not start (${(error as Error).message.split('\n')[0]}); again`);
        const { child } = targets.stack.processes[role];
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await pause(1_000);
      }
    }
  };

  const kill = async (target: StackRole, downMs: number) => {
    const process = targets.stack.processes[target];
    note(`SIGKILL ${target} (pid ${process.child.pid}), down ${downMs} ms`);
    process.child.kill('SIGKILL');
    await process.exited;
    result.killed[target]++;
    await pause(downMs);
    await startAgain(target);
    note(`${target} started again`);
  };

  const carryOut = async (action: ChaosAction) => {
    const { target, downMs } = action;
    if (target === 'kafka') {
      note(`stopping Kafka for ${downMs} ms`);
      const from = Date.now();
      await targets.broker.stop();
      await pause(downMs);
      await targets.broker.start();
      result.kafkaDown.push({ from, to: Date.now() });
      note('Kafka is back');
    } else if (target === 'postgres') {
      await inTurn(async () => {
        note(`crashing PostgreSQL for ${downMs} ms`);
        const from = Date.now();
        await targets.postgres.shutDown('immediate');
        await pause(downMs);
        await targets.postgres.startUp();
        result.postgresDown.push({ from, to: Date.now() });
        note('PostgreSQL is back');
      });
    } else if (target === 'api') {
      await inTurn(() => kill(target, downMs));
    } else {
      await kill(target, downMs);
    }
  };

  const byTarget = new Map<ChaosAction['target'], ChaosAction[]>();
  for (const action of schedule)
    byTarget.set(action.target, [...(byTarget.get(action.target) ?? []), action]);
  await Promise.all(
    [...byTarget.values()].map(async (actions) => {
      for (const action of actions) {
        await pause(startedAt + action.atMs - Date.now());
        await carryOut(action);
      }
    }),
  );
  return result;
}
