import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from './processes.js';

/**
 * Before the tests that talk to real peers (snmpd, Kamailio, mosquitto, Chromium, …): every
 * peer is installed and the run is root, or the run stops at once naming what is missing and
 * the command that installs it. No test skips itself for a missing peer (docs/contributing.md).
 * `pnpm test` installs missing peers first when it can (scripts/install-test-deps.sh --auto).
 */
export default function setup() {
  const check = spawnSync('bash', [path.join(REPO, 'scripts/install-test-deps.sh'), '--check'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  if (check.status !== 0) throw new Error(`the test peers are not ready:\n${check.stderr.trim()}`);
}
