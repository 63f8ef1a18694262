import { Batcher } from './batch/batcher.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { Scheduler } from './scheduler/scheduler.js';
import { Spool } from './spool/spool.js';
import { Publisher } from './transport/publisher.js';
import { AGENT_VERSION } from './version.js';

/** The running pipeline: scheduler → probes → batcher → spool → publisher. */
export interface RunningAgent {
  readonly scheduler: Scheduler;
  readonly spool: Spool;
  readonly publisher: Publisher;
  /** Stops probing, flushes the current batch into the spool, says offline and disconnects. */
  stop(): Promise<void>;
}

export async function startAgent(config: Config, log: Logger): Promise<RunningAgent> {
  const spool = await Spool.open({ ...config.spool, log: log.child({ component: 'spool' }) });
  const publisher = new Publisher({
    ...config.hub,
    address: { tenant: config.agent.tenant, branch: config.agent.branch, agent: config.agent.id },
    spool,
    batchIntervalSeconds: config.batch.intervalSeconds,
    log,
    version: AGENT_VERSION,
  });
  const batcher = new Batcher({
    ...config.batch,
    agent: config.agent.id,
    spool,
    log: log.child({ component: 'batcher' }),
    onBatch: () => publisher.notify(),
  });
  const scheduler = new Scheduler({
    checks: config.checks,
    concurrency: config.concurrency,
    onResult: (result) => batcher.add(result),
    log: log.child({ component: 'scheduler' }),
  });
  // Subscribing to the hub's config topic (topics.config) comes later; it will swap the
  // scheduler's checks and keep the old ones when the new config is invalid.
  publisher.start();
  batcher.start();
  scheduler.start();
  log.info('agent started', {
    version: AGENT_VERSION,
    checks: config.checks.length,
    spooled: spool.stats().pendingBatches,
  });

  let stopping: Promise<void> | undefined;
  return {
    scheduler,
    spool,
    publisher,
    stop() {
      stopping ??= (async () => {
        await scheduler.stop();
        await batcher.stop();
        await publisher.stop();
        log.info('agent stopped', { ...spool.stats() });
      })();
      return stopping;
    },
  };
}
