import { hubVersion } from '../core/package-root.js';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { backupHub } from './backup.js';
import { restoreHub, RestoreRefused } from './restore.js';

const USAGE = `usage:
  branchwatch-hub-ops backup --out FILE [--config ENV_FILE]
  branchwatch-hub-ops restore --in FILE [--config-out ENV_FILE]
Reads the same BW_* environment as the hub (docs/disaster-recovery.md).`;

/** `pnpm hub:backup -- --out FILE` and `pnpm hub:restore -- --in FILE`. */
async function main(argv: string[]): Promise<number> {
  // pnpm passes a literal "--" through to the script.
  const args = argv.filter((a) => a !== '--');
  const [command, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      in: { type: 'string' },
      config: { type: 'string' },
      'config-out': { type: 'string' },
    },
  });
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  if (command === 'backup' && values.out) {
    const manifest = await backupHub(
      config,
      { out: values.out, configFile: values.config, hubVersion: hubVersion() },
      logger,
    );
    const rows = manifest.database.tables.reduce((n, t) => n + t.rows, 0);
    console.log(
      `backup written to ${values.out}: ${manifest.database.tables.length} tables, ${rows} rows, ` +
        `${manifest.attachments.files} attachments`,
    );
    return 0;
  }
  if (command === 'restore' && values.in) {
    const manifest = await restoreHub(
      config,
      { in: values.in, configOut: values['config-out'] },
      logger,
    );
    const rows = manifest.database.tables.reduce((n, t) => n + t.rows, 0);
    console.log(
      `restored ${rows} rows and ${manifest.attachments.files} attachments from the backup of ` +
        `${manifest.createdAt} (hub ${manifest.hubVersion}); start the hub now`,
    );
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof RestoreRefused) console.error(err.message);
    else console.error(err);
    process.exit(1);
  },
);
