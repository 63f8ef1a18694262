import { createLogger } from '../log.js';
import { runOnce } from '../scheduler/scheduler.js';
import { loadConfigOrReport } from './load-config.js';
import { EXIT, formatResultsTable, type Output } from './output.js';

/**
 * `probe --once --config FILE [--json]`: runs every check once and prints the results. Targets
 * that fail are results too, so the exit code is 0 unless the config itself is unusable.
 * It never connects to the hub.
 */
export async function probeOnceCommand(file: string, json: boolean, io: Output): Promise<number> {
  const config = await loadConfigOrReport(file, io);
  if (!config) return EXIT.badConfig;
  const log = createLogger({ level: config.logLevel });
  const results = await runOnce(config.checks, { concurrency: config.concurrency, log });
  io.out(json ? JSON.stringify(results, null, 2) : formatResultsTable(results));
  return EXIT.ok;
}
