import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO } from '../support/processes.js';

// The service units as systemd itself reads them: `systemd-analyze verify` (systemd-analyze(1))
// from Debian's systemd package. It checks every directive, the dependencies and that each
// Exec* command is an executable file; systemd need not be running.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-systemd-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const units = {
  hub: 'deploy/hub/branchwatch-hub.service',
  agent: 'deploy/agent/branchwatch-agent.service',
};

/**
 * A root folder holding systemd's own units, the unit under test and a stand-in for each program
 * its Exec* lines name (they are installed by the tarball or the .deb, not on this machine).
 */
function rootFor(name: string, unitText: string): string {
  const root = fs.mkdtempSync(path.join(work, `${name}-`));
  fs.cpSync('/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const [, program] of unitText.matchAll(/^Exec\w+=[-@:+!]*(\/\S+)/gm)) {
    fs.mkdirSync(path.join(root, path.dirname(program!)), { recursive: true });
    fs.writeFileSync(path.join(root, program!), '#!/bin/sh\n', { mode: 0o755 });
  }
  fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/systemd/system', name), unitText);
  return root;
}

function verify(name: string, unitText: string) {
  const root = rootFor(name, unitText);
  const res = spawnSync(
    'systemd-analyze',
    ['verify', `--root=${root}`, path.join('/etc/systemd/system', name)],
    { encoding: 'utf8' },
  );
  return { status: res.status, stderr: res.stderr };
}

it.each(Object.entries(units))('the %s unit passes systemd-analyze verify', (_, file) => {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  expect(verify(path.basename(file), text)).toEqual({ status: 0, stderr: '' });
});

it('reports a misspelt directive (the check can fail)', () => {
  const text = fs.readFileSync(path.join(REPO, units.hub), 'utf8');
  const broken = text.replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes');
  expect(verify('branchwatch-hub.service', broken).stderr).toMatch(
    /branchwatch-hub\.service:\d+: Unknown key 'NoNewPrivilege' in section \[Service\], ignoring\./,
  );
});

it("bounds the hub's heap: node started with the unit's NODE_OPTIONS holds at most 512 MiB of old generation", () => {
  const unit = fs.readFileSync(path.join(REPO, units.hub), 'utf8');
  const options = /^Environment=NODE_OPTIONS=(.+)$/m.exec(unit)?.[1];
  expect(options).toBeDefined();
  const res = spawnSync(
    process.execPath,
    ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'],
    { env: { PATH: process.env.PATH, NODE_OPTIONS: options }, encoding: 'utf8' },
  );
  expect(res.status).toBe(0);
  const limit = Number(res.stdout.trim());
  // The old generation's bound plus the young generation's semi-spaces.
  expect(limit).toBeGreaterThan(512 * 2 ** 20);
  expect(limit).toBeLessThan(600 * 2 ** 20);
});
