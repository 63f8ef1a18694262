import { Batcher } from './batch/batcher.js';
import type { Config } from './config.js';
import { InventoryTracker } from './inventory/tracker.js';
import type { Logger } from './log.js';
import { Scheduler } from './scheduler/scheduler.js';
import { Spool } from './spool/spool.js';
import { RemoteConfig } from './remote-config.js';
import { Publisher } from './transport/publisher.js';
import type { TrapReceiver } from './traps/receiver.js';
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
  // Checks from the hub run beside the file's (and survive a restart); remote-config.ts.
  const remoteConfig = new RemoteConfig({
    stateDir: config.spool.dir,
    defaults: config.defaults,
    fileChecks: config.checks,
    // Called only for config messages, which arrive after the scheduler below exists.
    apply: (checks) => scheduler.replaceChecks(checks),
    log: log.child({ component: 'config' }),
  });
  await remoteConfig.restore();
  const checks = remoteConfig.checks();
  const publisher = new Publisher({
    ...config.hub,
    address: { tenant: config.agent.tenant, branch: config.agent.branch, agent: config.agent.id },
    spool,
    batchIntervalSeconds: config.batch.intervalSeconds,
    log,
    version: AGENT_VERSION,
    configReport: () => remoteConfig.report(),
    onConfig: (payload) => {
      remoteConfig.receive(payload).then(
        (changed) => changed && publisher.publishStatus(),
        (err: unknown) => log.error('handling the config from the hub failed', { err }),
      );
    },
  });
  const batcher = new Batcher({
    ...config.batch,
    agent: config.agent.id,
    spool,
    log: log.child({ component: 'batcher' }),
    onBatch: () => publisher.notify(),
  });
  const inventory = new InventoryTracker({
    agent: config.agent.id,
    publish: (payload) => publisher.publishInventory(payload),
    log: log.child({ component: 'inventory' }),
  });
  const scheduler = new Scheduler({
    checks,
    concurrency: config.concurrency,
    onResult: (result) => {
      batcher.add(result);
      inventory.observe(result);
    },
    log: log.child({ component: 'scheduler' }),
  });
  publisher.start();
  let traps: TrapReceiver | undefined;
  if (config.traps) {
    // net-snmp is loaded only by an agent that receives traps (or runs snmp checks).
    const { TrapReceiver } = await import('./traps/receiver.js');
    traps = new TrapReceiver({
      config: config.traps,
      agent: config.agent.id,
      publish: (payload) => publisher.publishEvents(payload),
      log: log.child({ component: 'traps' }),
    });
  }
  batcher.start();
  scheduler.start();
  log.info('agent started', {
    version: AGENT_VERSION,
    checks: checks.length,
    configRevision: remoteConfig.report().revision,
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
        await traps?.close();
        await publisher.stop();
        log.info('agent stopped', { ...spool.stats() });
      })();
      return stopping;
    },
  };
}
