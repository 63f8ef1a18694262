import { ConfigError, loadConfig } from './config/config.js';
import { startHub } from './app/hub.js';
import { createLogger } from './core/logger.js';
import { wrapForTerminal } from './core/terminal-text.js';

/** The hub's entry point: the only place that listens and handles process signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  const starting = startHub(config, logger);
  // Handlers go in before the start has finished: a Ctrl-C while the hub is starting waits for
  // the start, then stops what was started (the embedded PostgreSQL included) and exits. A
  // start that fails stops its parts itself and exits through main's catch.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    starting
      .then((hub) => hub.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'unclean stop');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // SIGHUP (systemctl reload): serve renewed TLS certificates; a failed read keeps the old ones.
  process.on('SIGHUP', () => {
    starting
      .then((hub) => hub.reloadTls())
      .catch((err: unknown) =>
        logger.error({ err }, 'TLS reload failed; still serving the previous certificate'),
      );
  });

  const hub = await starting;
  // From the start of the process: loading the code counts too.
  const startSeconds = performance.now() / 1000;
  logger.info({ startSeconds: Number(startSeconds.toFixed(2)) }, 'hub started');
  if (stopping) {
    // A Ctrl-C during the first start: the admin was made with this password, and no later
    // start can show it.
    if (hub.generatedAdminPassword) {
      process.stdout.write(
        `\n  Log in as "admin" with password: ${hub.generatedAdminPassword}   (shown only this once)\n\n`,
      );
    }
    return;
  }

  const shown = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
  const scheme = hub.mqttsPort === undefined ? 'http' : 'https';
  const lines = [
    '',
    `  Branchwatch hub is up: open ${scheme}://${shown}:${hub.httpPort}/   (started in ${startSeconds.toFixed(1)} s)`,
    hub.generatedAdminPassword
      ? `  Log in as "admin" with password: ${hub.generatedAdminPassword}   (shown only this once)`
      : '  Log in as "admin" (password from BW_ADMIN_PASSWORD, or the one shown at first start).',
    hub.mqttsPort === undefined
      ? `  Agents connect to MQTT on port ${hub.mqttPort} (and ws://…:${hub.httpPort}/mqtt).`
      : `  Agents connect to MQTT over TLS on port ${hub.mqttsPort} (and wss://…:${hub.httpPort}/mqtt).`,
    '',
    ...hub.startWarnings.flatMap((warning) => [...wrapForTerminal('  Warning: ', warning), '']),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
