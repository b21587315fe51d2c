import { backoffMs } from './backoff.ts';

/** How a {@link WakeableLoop} runs its turns. */
export interface WakeableLoopOptions {
  /**
   * One turn of work; resolves to how long to wait before the next turn (0: at once). A throw is
   * a failed turn: the loop backs off with jitter and tries again.
   */
  turn: () => Promise<number>;
  /** Told of each failed turn, with the attempt number and the wait before the next. */
  onFailure: (error: unknown, attempt: number, waitMs: number) => void;
  /** Told when a turn succeeds after failures. */
  onRecovery?: (failures: number) => void;
  /** Backoff after failures: the first waits up to `backoffBaseMs`, doubling to `backoffMaxMs`. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/**
 * A loop that works in turns and sleeps between them until its next turn is due or someone
 * wakes it: the outbox relay (woken by new rows) and the reminder scheduler (woken by a
 * changed reminder) both run on it. A wake-up during a turn is kept, so the next sleep is
 * skipped; a wake-up never cuts a backoff short, so a failing dependency is not hammered.
 */
export class WakeableLoop {
  private readonly options: WakeableLoopOptions;
  private running = false;
  private loop: Promise<void> | undefined;
  private woken = false;
  private interrupt: (() => void) | undefined;

  constructor(options: WakeableLoopOptions) {
    this.options = options;
  }

  /** Whether the loop runs (between `start()` and `stop()`). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts turning until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the turn in hand and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.loop;
  }

  /** Runs the next turn now instead of when it is due. */
  wake(): void {
    this.woken = true;
    this.interrupt?.();
  }

  private async run(): Promise<void> {
    const {
      turn,
      onFailure,
      onRecovery,
      backoffBaseMs = 100,
      backoffMaxMs = 10_000,
    } = this.options;
    let failures = 0;
    while (this.running) {
      this.woken = false;
      let waitMs: number;
      try {
        waitMs = await turn();
        if (failures > 0) onRecovery?.(failures);
        failures = 0;
      } catch (error) {
        failures += 1;
        waitMs = backoffMs(failures, backoffBaseMs, backoffMaxMs);
        onFailure(error, failures, waitMs);
      }
      await this.sleep(waitMs, failures === 0);
    }
  }

  private async sleep(ms: number, wakeable: boolean): Promise<void> {
    if (!this.running || ms <= 0 || (wakeable && this.woken)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const running = () => this.running;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.interrupt = () => {
        if (wakeable || !running()) done();
      };
    });
    this.interrupt = undefined;
  }
}
