import { logger } from '../util/index.js';

export interface ScheduledTask {
  name: string;
  everyMs: number;
  lastRun: number;
  run: () => Promise<void>;
}

/** Runs periodic maintenance tasks (expiring stale orders, db heartbeat) on a single timer. */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private timer: NodeJS.Timeout | undefined;

  add(name: string, everyMs: number, run: () => Promise<void>): void {
    this.tasks.push({ name, everyMs, lastRun: 0, run });
  }

  start(tickMs = 1_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const now = Date.now();
      const due = this.tasks.filter((task) => now - task.lastRun >= task.everyMs);
      due.forEach(async (task) => {
        task.lastRun = now;
        await task.run();
        logger.debug(`task ${task.name} took ${Date.now() - now}ms`);
      });
    }, tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs every task once, one after the other (used by tests and `--once`). */
  async runAll(): Promise<void> {
    for (const task of this.tasks) {
      await task.run();
      task.lastRun = Date.now();
    }
  }
}
