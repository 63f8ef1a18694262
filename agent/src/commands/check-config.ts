import { summarizeConfig } from '../config.js';
import { loadConfigOrReport } from './load-config.js';
import { EXIT, type Output } from './output.js';

/** `check-config FILE`: validates a config file and says exactly what is wrong with it. */
export async function checkConfigCommand(file: string, io: Output): Promise<number> {
  const config = await loadConfigOrReport(file, io);
  if (!config) return EXIT.badConfig;
  io.out(summarizeConfig(config));
  return EXIT.ok;
}
