import type { Logger } from './logger.js';

/**
 * What a process started, stopped in the reverse order: by an orderly stop, and by a start
 * that fails half way (a port already taken must not leave the embedded PostgreSQL, timers or
 * pools behind). A step that fails is logged and the others still run.
 */
export class Teardown {
  private readonly steps: { name: string; run: () => unknown }[] = [];

  constructor(private readonly logger: Logger) {}

  /** Registers how to stop something that has just started. */
  add(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  /** Runs every step, the last added first; resolves false when any of them failed. */
  async run(): Promise<boolean> {
    let clean = true;
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        clean = false;
        this.logger.error({ err, step: step.name }, 'could not stop');
      }
    }
    return clean;
  }
}
