import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../support/hub.js';
import { waitFor } from '../support/http.js';
import { agentPackages } from '../support/agent-packages.js';
import { REPO, type Started } from '../support/processes.js';

// docs/agent-install.md followed step by step, as literally as this machine allows:
// a new user follows docs/ from an empty branch server to an agent reporting to the hub:
// a hub, a token made with the documented curl command, the documented one-line install
// (install.sh from the hub → apt-get install of the .deb → enroll), then the service as its
// unit would run it. systemd does not run here, so the unit's Exec* lines are run as its
// User= with its capabilities through setpriv. Last, the documented purge.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-install-walk-'));
const version = JSON.parse(fs.readFileSync(path.join(REPO, 'agent/package.json'), 'utf8')).version;
const UNIT = '/lib/systemd/system/branchwatch-agent.service';
let t: TestHub;
let hubUrl: string;
let db: pg.Client;
let agent: Started | undefined;

/** A command in a child process, awaited: the hub runs in this process, so never block it. */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function purge() {
  spawnSync('dpkg', ['--purge', 'branchwatch-agent'], { stdio: 'ignore' });
}

beforeAll(async () => {
  purge();
  // Building the .deb takes minutes on a loaded machine (agent-packages.ts); sea-deb shares it.
  const { deb } = agentPackages();
  // The hub serves install.sh and the newest .deb from its release store (docs/agent-install.md §2).
  const releases = path.join(work, 'hub/releases', version);
  fs.mkdirSync(releases, { recursive: true });
  fs.copyFileSync(deb, path.join(releases, path.basename(deb)));
  t = await startTestHub({ BW_DATA_DIR: path.join(work, 'hub') });
  hubUrl = `http://127.0.0.1:${t.hub.httpPort}`;
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
}, 600_000);

afterAll(async () => {
  if (agent && agent.child.exitCode === null && agent.child.signalCode === null) {
    agent.child.kill('SIGKILL');
    await agent.exited;
  }
  purge();
  await db?.end();
  await t?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** The unit's value for `key` (the first line that sets it). */
function unitValue(unit: string, key: string): string {
  const line = unit.split('\n').find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`${UNIT} has no ${key}=`);
  return line.slice(key.length + 1);
}

/** setpriv arguments that give a command the unit's user, group and capabilities. */
function asTheUnit(unit: string): string[] {
  const cap = unitValue(unit, 'AmbientCapabilities').toLowerCase().replace(/^cap_/, '');
  return [
    `--reuid=${unitValue(unit, 'User')}`,
    `--regid=${unitValue(unit, 'Group')}`,
    '--init-groups',
    `--bounding-set=-all,+${cap}`,
    `--inh-caps=-all,+${cap}`,
    `--ambient-caps=-all,+${cap}`,
    ...(unitValue(unit, 'NoNewPrivileges') === 'yes' ? ['--no-new-privs'] : []),
    '--',
  ];
}

it('goes from an empty server to an agent reporting to the hub, then purges clean', async () => {
  // §1: an admin makes a one-time token with the documented request.
  const login = await fetch(`${hubUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const session = ((await login.json()) as { token: string }).token;
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'lyon',
  });
  const made = await run(
    'sh',
    [
      '-c',
      `curl -s -H "Authorization: Bearer $SESSION" -H 'content-type: application/json' \\
  -d '{"branchId":"${branch.id}","agentSlug":"lyon-1","expiresInMinutes":120}' \\
  ${hubUrl}/api/v1/enrollment-tokens`,
    ],
    { SESSION: session },
  );
  expect(made.status).toBe(0);
  const issued = JSON.parse(made.stdout) as { token: string; installCommand: string };
  expect(issued.token).toMatch(/^bwe_/);

  // §2: the one-line install, exactly as the hub hands it out (we are root: no sudo here).
  expect(issued.installCommand).toBe(
    `curl -fsSL ${hubUrl}/install.sh | sudo sh -s -- --token ${issued.token}`,
  );
  const install = await run('sh', ['-c', issued.installCommand.replace('| sudo sh', '| sh')], {
    DEBIAN_FRONTEND: 'noninteractive',
  });
  expect(install.stderr).not.toContain('E: ');
  expect(install.status).toBe(0);
  expect(
    (await run('dpkg-query', ['-W', '-f=${Status} ${Version}', 'branchwatch-agent'])).stdout,
  ).toBe(`install ok installed ${version}`);
  const config = parse(fs.readFileSync('/etc/branchwatch/agent.yaml', 'utf8'));
  expect(config.agent).toEqual({ tenant: 'default', branch: 'lyon', id: 'lyon-1' });
  const stat = fs.statSync('/etc/branchwatch/agent.yaml');
  expect(stat.mode & 0o777).toBe(0o640);

  // §3: the service, as systemd would run it: ExecCondition, ExecStartPre, then ExecStart, each
  // as User=branchwatch with CAP_NET_RAW ambient and NoNewPrivileges (no systemd here).
  const unit = fs.readFileSync(UNIT, 'utf8');
  const as = asTheUnit(unit);
  for (const key of ['ExecCondition', 'ExecStartPre']) {
    const [cmd, ...args] = unitValue(unit, key).split(' ');
    const res = await run('setpriv', [...as, cmd!, ...args]);
    expect({ key, status: res.status, stderr: res.stderr }).toEqual({ key, status: 0, stderr: '' });
  }
  const [cmd, ...args] = unitValue(unit, 'ExecStart').split(' ');
  const logFile = path.join(work, 'agent.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn('setpriv', [...as, cmd!, ...args], {
    cwd: '/',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  agent = { child, logFile, output: () => fs.readFileSync(logFile, 'utf8'), exited };

  // Online in the hub, then a check managed from the hub (§3, "or manage them from the hub"):
  // ICMP, so fping must really get CAP_NET_RAW through the unit's ambient capability.
  const online = await waitFor(
    'the agent online in the hub',
    async () => {
      const { items } = await t.api.get<{ items: { id: string; slug: string; online: boolean }[] }>(
        '/api/v1/agents',
      );
      return items.find((a) => a.slug === 'lyon-1' && a.online);
    },
    60_000,
  );
  await t.api.post(`/api/v1/agents/${online.id}/checks`, {
    key: 'gateway',
    type: 'icmp',
    target: '127.0.0.1',
    intervalSeconds: 1,
  });
  const result = await waitFor(
    'an ICMP result from the installed agent',
    async () => {
      const { rows } = await db.query<{ status: string; fields: Record<string, number> }>(
        `SELECT r.status, r.fields FROM check_results r JOIN checks c ON c.id = r.check_id
          WHERE c.key = 'gateway' ORDER BY r.at DESC LIMIT 1`,
      );
      return rows[0];
    },
    90_000,
  );
  expect(result.status).toBe('ok');
  expect(result.fields.received).toBe(result.fields.sent);

  // systemctl stop: SIGTERM, a clean exit.
  child.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });

  // §5: purge leaves nothing behind.
  const purged = await run('apt-get', ['purge', '-y', 'branchwatch-agent'], {
    DEBIAN_FRONTEND: 'noninteractive',
  });
  expect(purged.status).toBe(0);
  expect(fs.existsSync('/etc/branchwatch')).toBe(false);
  expect(fs.existsSync('/var/lib/branchwatch')).toBe(false);
  expect(fs.existsSync('/usr/bin/branchwatch-agent')).toBe(false);
});
