// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer waits are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` at `moment` (at once if it has passed); returns a function that cancels it. */
export function callAt(moment: Date, fn: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = moment.getTime() - Date.now();
    if (left <= 0) return fn();
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  return () => clearTimeout(timer);
}
