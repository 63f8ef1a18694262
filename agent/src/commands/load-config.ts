import { ConfigError, loadConfig, type Config } from '../config.js';
import type { Output } from './output.js';

/**
 * Loads the config file for a command. A bad file is reported on stderr with the exact problem
 * and gives undefined (the command then exits with EXIT.badConfig); any other error is a bug.
 */
export async function loadConfigOrReport(file: string, io: Output): Promise<Config | undefined> {
  try {
    return await loadConfig(file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return undefined;
  }
}
