import { startAgent } from '../agent.js';
import { createLogger } from '../log.js';
import { loadConfigOrReport } from './load-config.js';
import { EXIT, type Output } from './output.js';

/**
 * `run --config FILE`: runs until SIGTERM or SIGINT, then stops cleanly (current batch into the
 * spool, offline status, disconnect). A second signal during that exits at once.
 */
export async function runCommand(file: string, io: Output): Promise<number> {
  const config = await loadConfigOrReport(file, io);
  if (!config) return EXIT.badConfig;
  const log = createLogger({ level: config.logLevel });
  const agent = await startAgent(config, log);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info('stopping', { signal });
  const again = () => {
    log.warn('second signal: exiting without a clean stop');
    process.exit(130);
  };
  process.once('SIGTERM', again);
  process.once('SIGINT', again);
  await agent.stop();
  return EXIT.ok;
}
