import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { connectDatabase, migrate } from '../db/database.js';
import { BrokerAuthRepository } from './broker-auth.repository.js';
import { mosquittoHash } from '../identity/mosquitto-password.js';
import { mosquittoAuthFiles } from './mosquitto-auth.js';

/**
 * `pnpm hub:mosquitto-auth --password-file F --acl-file G`: writes Mosquitto's password and ACL
 * files from the agents table and the hub's own BW_MQTT_URL login. Run it after issuing agents,
 * then make mosquitto reload its files (SIGHUP, `systemctl reload mosquitto`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'password-file': { type: 'string' }, 'acl-file': { type: 'string' } },
  });
  const passwordFile = values['password-file'];
  const aclFile = values['acl-file'];
  if (!passwordFile || !aclFile) {
    throw new Error('usage: hub:mosquitto-auth --password-file FILE --acl-file FILE');
  }
  const config = loadConfig();
  const external = config.mqtt.external;
  if (!external || !config.databaseUrl) {
    throw new Error('set BW_MQTT_URL (with the hub login) and DATABASE_URL, as for the hub');
  }
  const url = new URL(external.url);
  if (!url.username || !url.password) {
    throw new Error('BW_MQTT_URL must carry the hub login: mqtt://USER:PASSWORD@host:port');
  }
  const db = connectDatabase(config.databaseUrl, { min: 0, max: 1 });
  try {
    await migrate(db);
    const hub = {
      username: decodeURIComponent(url.username),
      passwordHash: await mosquittoHash(decodeURIComponent(url.password)),
    };
    const files = mosquittoAuthFiles(hub, await new BrokerAuthRepository(db).listCredentials());
    await writeAtomically(passwordFile, files.passwords);
    await writeAtomically(aclFile, files.acl);
    const agents = files.passwords.split('\n').length - 2;
    process.stdout.write(
      `wrote ${agents} agents and the hub user to ${passwordFile} and ${aclFile}\n`,
    );
    if (files.skipped.length > 0) {
      process.stderr.write(
        `left out (issued before broker credentials existed; issue them again): ${files.skipped.join(', ')}\n`,
      );
    }
  } finally {
    await db.destroy();
  }
}

/** Mosquitto may reload at any moment: it must never see half a file. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(temp, content, { mode: 0o640 });
  await fs.rename(temp, file);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
