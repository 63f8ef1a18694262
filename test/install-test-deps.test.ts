import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from './support/processes.js';

const SCRIPT = path.join(REPO, 'scripts', 'install-test-deps.sh');

it('stops at once, saying why, when root may not make network namespaces', () => {
  // A container's root without CAP_SYS_ADMIN (Docker without --privileged): setpriv drops it.
  const refused = spawnSync(
    'setpriv',
    ['--inh-caps=-sys_admin', '--bounding-set=-sys_admin', 'bash', SCRIPT, '--check'],
    { encoding: 'utf8' },
  );
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('The tests make network namespaces, and this root may not');
  expect(refused.stderr).toContain('docker run --privileged');

  // The same check with the privilege passes: every peer is installed where the suite runs.
  const passed = spawnSync('bash', [SCRIPT, '--check'], { encoding: 'utf8' });
  expect(passed.stderr).toBe('');
  expect(passed.status).toBe(0);
});
