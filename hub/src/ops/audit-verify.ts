import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { openHubDatabase } from './hub-database.js';
import { AuditRepository } from '../identity/audit/audit.repository.js';
import { AuditService } from '../identity/audit/audit.service.js';

/**
 * `pnpm hub:audit-verify`: walks the audit log's hash chain (audit-chain.ts) and names the
 * first entry that was changed, inserted or deleted behind the hub's back. Exit 0 when the
 * chain is intact, 1 when it is broken, 2 when it could not be checked.
 *
 * The printed head hash is worth keeping outside the database: someone who can rewrite the
 * table could recompute every hash after an edit, but not match a head recorded elsewhere.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { db, close } = await openHubDatabase(config, logger);
  try {
    const result = await new AuditService(new AuditRepository(db)).verify();
    if (result.break) {
      console.log(
        `audit chain BROKEN at entry ${result.break.seq} (${result.break.reason}); ` +
          `the ${result.entries} entries before it are intact`,
      );
      return 1;
    }
    console.log(`audit chain intact: ${result.entries} entries, head ${result.head}`);
    return 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  },
);
