import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';
import { WakeableLoop } from '../lib/wakeable-loop.ts';
import { foldTaskCounts } from './task-counts.ts';

/** How a {@link TaskCountFolder} runs; the defaults suit production. */
export interface TaskCountFolderOptions {
  knex: Knex;
  logger: Logger;
  /** How often deltas are folded while there are few. */
  intervalMs?: number;
  /** Deltas folded per statement; a full batch is followed by the next at once. */
  batchSize?: number;
}

/**
 * Keeps the maintained task counts short to read: folds the deltas writers append into one row
 * per key, every `intervalMs`, and at once again while a turn found a full batch. Counts are
 * exact whether it runs or not; without it they get slower to read as deltas pile up. The API
 * role runs one; several replicas running theirs at once is safe.
 */
export class TaskCountFolder {
  private readonly loop: WakeableLoop;

  constructor(options: TaskCountFolderOptions) {
    const { knex, logger, intervalMs = 1_000, batchSize = 10_000 } = options;
    this.loop = new WakeableLoop({
      turn: async () => ((await foldTaskCounts(knex, batchSize)) === batchSize ? 0 : intervalMs),
      backoffBaseMs: 1_000,
      backoffMaxMs: 30_000,
      onFailure: (error, failures, waitMs) =>
        logger.warn({ err: error, failures, waitMs }, 'could not fold task counts; retrying'),
      onRecovery: (failures) => logger.info({ failures }, 'folding task counts again'),
    });
  }

  /** Starts folding until `stop()`. */
  start(): void {
    this.loop.start();
  }

  /** Finishes the fold in hand and stops. */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
