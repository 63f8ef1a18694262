import { isSea } from 'node:sea';
import { startAgent, type RunningAgent } from '../agent.js';
import type { Config } from '../config.js';
import { loadConfigOrReport } from '../commands/load-config.js';
import { EXIT, type Output } from '../commands/output.js';
import { createLogger, type Logger } from '../log.js';
import { AGENT_VERSION } from '../version.js';
import { BinaryStore } from './binary-store.js';
import { PINNED_RELEASE_KEY, PLATFORM } from './build-info.js';
import { Updater } from './updater.js';

/**
 * `run --config FILE`: runs until SIGTERM or SIGINT, then stops cleanly (current batch into the
 * spool, offline status, disconnect); a second signal during that exits at once. With an
 * `update` section in the config it also confirms a freshly installed update once the agent is
 * connected to the hub (else exits so that the guard rolls it back), and checks the hub for a
 * new version every `checkIntervalMinutes`.
 */
export async function supervisedRun(file: string, io: Output): Promise<number> {
  const config = await loadConfigOrReport(file, io);
  if (!config) return EXIT.badConfig;
  const log = createLogger({ level: config.logLevel });
  const agent = await startAgent(config, log);
  const updates = config.update
    ? startUpdates(config, agent, log.child({ component: 'update' }))
    : undefined;
  const reason = await new Promise<NodeJS.Signals | 'restart'>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    updates?.onRestart(() => resolve('restart'));
  });
  log.info('stopping', { reason });
  const again = () => {
    log.warn('second signal: exiting without a clean stop');
    process.exit(EXIT.interrupted);
  };
  process.once('SIGTERM', again);
  process.once('SIGINT', again);
  updates?.stop();
  await agent.stop();
  return reason === 'restart' ? EXIT.restart : EXIT.ok; // EX_TEMPFAIL asks for a restart
}

interface RunningUpdates {
  onRestart(listener: () => void): void;
  stop(): void;
}

function startUpdates(
  config: Config,
  agent: RunningAgent,
  log: Logger,
): RunningUpdates | undefined {
  const update = config.update!;
  const binary = update.binary ?? (isSea() ? process.execPath : undefined);
  if (!binary) {
    log.warn('updates are off: not a single executable and update.binary is not set');
    return undefined;
  }
  const store = new BinaryStore(binary);
  const updater = new Updater({
    hubUrl: update.url,
    username: config.hub.username,
    password: config.hub.password,
    publicKey: update.publicKey ?? PINNED_RELEASE_KEY,
    store,
    currentVersion: AGENT_VERSION,
    platform: PLATFORM,
    log,
  });
  let restart: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];
  const requestRestart = () => restart?.();

  void confirmOrRollBack(store, updater, agent, update.healthySeconds, log, requestRestart, timers);
  const check = () =>
    updater.check().then(
      (outcome) => {
        log.debug('update check', { ...outcome });
        if (outcome.kind === 'installed') requestRestart();
      },
      (err: unknown) => log.warn('update check failed', { err: (err as Error).message }),
    );
  // First check soon after start, then on the interval.
  timers.push(setTimeout(check, 10_000), setInterval(check, update.checkIntervalMinutes * 60_000));
  timers.forEach((t) => t.unref());
  return {
    onRestart: (listener) => (restart = listener),
    stop: () => timers.forEach((t) => clearTimeout(t)),
  };
}

/**
 * A binary started for the first time after an update confirms itself once it is connected to
 * the hub (its online status published). If that does not happen in `healthySeconds`, it exits
 * for a restart, and the guard before that start puts the previous binary back.
 */
async function confirmOrRollBack(
  store: BinaryStore,
  updater: Updater,
  agent: RunningAgent,
  healthySeconds: number,
  log: Logger,
  requestRestart: () => void,
  timers: NodeJS.Timeout[],
): Promise<void> {
  const failed = await store.failed();
  if (failed && !failed.reported) {
    await updater.report(failed.version, 'rolled-back', 'the new version did not come up');
    await store.markFailedReported(failed);
  }
  const pending = await store.pending();
  if (!pending) return;
  const deadline = Date.now() + healthySeconds * 1000;
  const poll = async () => {
    if (agent.publisher.stats().connected) {
      await store.confirm();
      log.info('update confirmed: connected to the hub', { version: pending.to });
      await updater.report(pending.to, 'applied');
    } else if (Date.now() > deadline) {
      log.error('update did not come up: not connected to the hub; restarting to roll back', {
        version: pending.to,
        healthySeconds,
      });
      requestRestart();
    } else {
      timers.push(setTimeout(() => void poll(), 500));
    }
  };
  await poll();
}
