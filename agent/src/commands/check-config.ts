import { ConfigError, loadConfig, summarizeConfig } from '../config.js';
import { EXIT, type Output } from './output.js';

/** `check-config FILE`: validates a config file and says exactly what is wrong with it. */
export async function checkConfigCommand(file: string, io: Output): Promise<number> {
  try {
    const config = await loadConfig(file);
    io.out(summarizeConfig(config));
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return EXIT.badConfig;
  }
}
