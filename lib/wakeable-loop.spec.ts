import { WakeableLoop } from './wakeable-loop.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A loop whose turns are recorded; `next` says what each turn does. */
function recordingLoop(next: (turn: number) => number | Error) {
  const turns: number[] = [];
  const failures: Array<{ attempt: number; waitMs: number }> = [];
  const recoveries: number[] = [];
  const loop = new WakeableLoop({
    turn: async () => {
      turns.push(Date.now());
      const result = next(turns.length);
      if (result instanceof Error) throw result;
      return result;
    },
    onFailure: (_error, attempt, waitMs) => failures.push({ attempt, waitMs }),
    onRecovery: (count) => recoveries.push(count),
    backoffBaseMs: 400,
    backoffMaxMs: 400,
  });
  return { loop, turns, failures, recoveries };
}

describe('WakeableLoop', () => {
  it('sleeps the time a turn asks for, and a wake-up runs the next turn at once', async () => {
    const { loop, turns } = recordingLoop(() => 60_000);
    loop.start();
    await pause(50);
    expect(turns).toHaveLength(1);
    loop.wake();
    await pause(50);
    expect(turns).toHaveLength(2);
    await loop.stop();
  });

  it('keeps a wake-up that arrives during a turn, so the sleep after it is skipped', async () => {
    const { turns, loop } = recordingLoop((turn) => {
      if (turn === 1) loop.wake();
      return 60_000;
    });
    loop.start();
    await pause(50);
    expect(turns).toHaveLength(2);
    await loop.stop();
  });

  it('runs again at once after a turn that asks for no wait', async () => {
    const { loop, turns } = recordingLoop((turn) => (turn < 5 ? 0 : 60_000));
    loop.start();
    await pause(50);
    expect(turns).toHaveLength(5);
    await loop.stop();
  });

  it('backs off after a failure, a wake-up does not cut the backoff short, and recovery is told', async () => {
    const { loop, turns, failures, recoveries } = recordingLoop((turn) =>
      turn === 1 ? new Error('database away') : 60_000,
    );
    loop.start();
    await pause(50);
    loop.wake();
    await pause(50);
    expect(turns).toHaveLength(1);
    expect(failures).toEqual([{ attempt: 1, waitMs: expect.any(Number) }]);
    expect(failures[0]!.waitMs).toBeGreaterThanOrEqual(200);
    await pause(450);
    expect(turns).toHaveLength(2);
    expect(recoveries).toEqual([1]);
    await loop.stop();
  });

  it('stops within a sleep or a backoff, after the turn in hand', async () => {
    const { loop } = recordingLoop(() => new Error('always'));
    loop.start();
    await pause(20);
    const asked = Date.now();
    await loop.stop();
    expect(Date.now() - asked).toBeLessThan(100);
    expect(loop.isRunning).toBe(false);
  });
});
