import { inTurn } from './turns.ts';

/** Keeps the event loop busy for `ms` milliseconds. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

it('runs computations queued at once in turns of their own, with timers and I/O served between', async () => {
  const order: string[] = [];
  const first = inTurn(() => {
    // Due while the first computation runs: it must not wait for the second.
    setTimeout(() => order.push('timer'), 0);
    spin(30);
    order.push('first');
    return 1;
  });
  const second = inTurn(() => {
    order.push('second');
    return 2;
  });
  expect(await Promise.all([first, second])).toEqual([1, 2]);
  expect(order).toEqual(['first', 'timer', 'second']);
});

it('goes on after a computation that throws, and hands the error to its caller', async () => {
  const failed = inTurn(() => {
    throw new Error('bad rule');
  });
  const next = inTurn(() => 'next');
  await expect(failed).rejects.toThrow('bad rule');
  expect(await next).toBe('next');
});
