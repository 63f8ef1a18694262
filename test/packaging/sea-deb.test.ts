import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPackages } from '../support/agent-packages.js';
import { REPO } from '../support/processes.js';

// The agent as shipped: the single executable and the .deb around it.
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-sea-'));
let binary = '';
const version = JSON.parse(fs.readFileSync(path.join(REPO, 'agent/package.json'), 'utf8')).version;
const cleanEnv = { PATH: '/usr/bin:/bin' };
let deb = '';
let server: net.Server;

// Building both takes minutes on a loaded machine (agent-packages.ts); install-walk shares it.
beforeAll(() => {
  ({ binary, deb } = agentPackages());
  purge();
}, 600_000);

afterAll(() => {
  purge();
  server?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

function purge() {
  spawnSync('dpkg', ['--purge', 'branchwatch-agent'], { stdio: 'ignore' });
}

describe('single executable', () => {
  it('prints its version with a clean environment', () => {
    const res = spawnSync(binary, ['--version'], { env: cleanEnv, cwd: out, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe(version);
  });

  it('runs a real probe round with a clean environment', async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const config = path.join(out, 'probe.yaml');
    fs.writeFileSync(
      config,
      [
        'hub: {url: "mqtt://127.0.0.1:1", username: u, password: p}',
        'agent: {tenant: t, branch: b, id: a}',
        'checks:',
        '  - {id: loopback, type: icmp, target: 127.0.0.1}',
        `  - {id: listener, type: tcp, target: "127.0.0.1:${port}"}`,
        '',
      ].join('\n'),
    );
    const res = spawnSync(binary, ['probe', '--once', '--json', '--config', config], {
      env: cleanEnv,
      cwd: out,
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    const results = JSON.parse(res.stdout) as {
      check: string;
      status: string;
      fields: Record<string, number>;
    }[];
    const byCheck = Object.fromEntries(results.map((r) => [r.check, r]));
    expect(byCheck.loopback!.status).toBe('ok');
    expect(byCheck.loopback!.fields.received).toBe(byCheck.loopback!.fields.sent);
    expect(byCheck.listener!.status).toBe('ok');
  });
});

describe('.deb', () => {
  const field = (name: string) =>
    execFileSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }).trim();

  it('has the expected control fields, files and conffile', () => {
    expect(field('Package')).toBe('branchwatch-agent');
    expect(field('Version')).toBe(version);
    expect(field('Architecture')).toBe('amd64');
    expect(field('Depends')).toContain('fping');
    const listing = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' });
    expect(listing).toMatch(/-rwxr-xr-x root\/root .* \.\/usr\/bin\/branchwatch-agent\n/);
    expect(listing).toMatch(/\.\/lib\/systemd\/system\/branchwatch-agent\.service\n/);
    expect(listing).toMatch(/-rw-r----- root\/root .* \.\/etc\/branchwatch\/agent\.yaml\n/);
    const control = fs.mkdtempSync(path.join(out, 'control-'));
    execFileSync('dpkg-deb', ['-e', deb, control]);
    expect(fs.readFileSync(path.join(control, 'conffiles'), 'utf8')).toBe(
      '/etc/branchwatch/agent.yaml\n',
    );
    for (const script of ['postinst', 'prerm', 'postrm']) {
      const res = spawnSync('sh', ['-n', path.join(control, script)], { encoding: 'utf8' });
      expect(res.stderr, script).toBe('');
      expect(fs.statSync(path.join(control, script)).mode & 0o777).toBe(0o755);
    }
  });

  it('installs, removes keeping the config, and purges leaving nothing', () => {
    // systemd is not running here: the maintainer scripts must skip it, not fail.
    execFileSync('dpkg', ['-i', deb], { stdio: 'pipe' });
    expect(execFileSync('getent', ['passwd', 'branchwatch'], { encoding: 'utf8' })).toContain(
      ':/var/lib/branchwatch:/usr/sbin/nologin',
    );
    expect(
      execFileSync('branchwatch-agent', ['--version'], { env: cleanEnv, encoding: 'utf8' }).trim(),
    ).toBe(version);
    const config = fs.statSync('/etc/branchwatch/agent.yaml');
    expect(config.mode & 0o777).toBe(0o640);
    const uid = Number(execFileSync('id', ['-u', 'branchwatch'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'branchwatch'], { encoding: 'utf8' }));
    expect([config.uid, config.gid]).toEqual([0, gid]);
    const running = fs.statSync('/var/lib/branchwatch/bin/branchwatch-agent');
    expect([running.uid, running.mode & 0o777]).toEqual([uid, 0o755]);
    expect(fs.statSync('/var/lib/branchwatch/spool').uid).toBe(uid);

    // Upgrade in place (same version again): still installed and configured.
    execFileSync('dpkg', ['-i', deb], { stdio: 'pipe' });
    expect(
      execFileSync('dpkg-query', ['-W', '-f=${Status}', 'branchwatch-agent'], { encoding: 'utf8' }),
    ).toBe('install ok installed');

    execFileSync('dpkg', ['--remove', 'branchwatch-agent'], { stdio: 'pipe' });
    expect(fs.existsSync('/usr/bin/branchwatch-agent')).toBe(false);
    expect(fs.existsSync('/var/lib/branchwatch/bin')).toBe(false);
    expect(fs.existsSync('/etc/branchwatch/agent.yaml')).toBe(true);
    expect(fs.existsSync('/var/lib/branchwatch/spool')).toBe(true);

    execFileSync('dpkg', ['--purge', 'branchwatch-agent'], { stdio: 'pipe' });
    expect(fs.existsSync('/etc/branchwatch')).toBe(false);
    expect(fs.existsSync('/var/lib/branchwatch')).toBe(false);
    expect(spawnSync('getent', ['passwd', 'branchwatch']).status).toBe(2);
    expect(spawnSync('getent', ['group', 'branchwatch']).status).toBe(2);
    expect(
      spawnSync('dpkg-query', ['-W', 'branchwatch-agent'], { stdio: 'ignore' }).status,
    ).not.toBe(0);
  });
});
