import type { Logger } from './logger.js';

/** How long one step may take before the stop goes on without it (systemd's default is 90 s). */
const STEP_LIMIT_MS = 20_000;
/**
 * A step slower than this is named in the log (at info: slow is not wrong, a loaded machine
 * stops slowly), so a slow stop says where its time went.
 */
const SLOW_STEP_MS = 2_000;

/**
 * What a process started, stopped in the reverse order: by an orderly stop, and by a start
 * that fails half way (a port already taken must not leave the embedded PostgreSQL, timers or
 * pools behind). A step that fails, or does not finish within its limit, is logged by name and
 * the others still run: one part that hangs must not keep the rest (the database last of all)
 * from stopping.
 */
export class Teardown {
  private readonly steps: { name: string; run: () => unknown }[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly stepLimitMs = STEP_LIMIT_MS,
  ) {}

  /** Registers how to stop something that has just started. */
  add(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  /** Runs every step, the last added first; resolves with the names of those that failed. */
  async run(): Promise<string[]> {
    const failed: string[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), this.stepLimitMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(step.run), limit]);
        const ms = Math.round(performance.now() - started);
        if (outcome === 'late') {
          failed.push(step.name);
          this.logger.error(
            { step: step.name, limitMs: this.stepLimitMs },
            'did not stop in time; going on without it',
          );
        } else if (ms >= SLOW_STEP_MS) {
          this.logger.info({ step: step.name, ms }, 'slow to stop');
        }
      } catch (err) {
        failed.push(step.name);
        this.logger.error({ err, step: step.name }, 'could not stop');
      } finally {
        clearTimeout(timer);
      }
    }
    return failed;
  }
}
