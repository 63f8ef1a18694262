import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryStore } from '../../agent/src/update/binary-store.js';
import { publicKeyOf, sha256Hex, signRelease } from '../../agent/src/update/signature.js';
import { Updater } from '../../agent/src/update/updater.js';
import { silentLogger } from '../../agent/src/log.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitFor } from '../support/http.js';
import { AGENT_BIN, startNode, stop, type Started } from '../support/processes.js';

// Enrollment and signed updates end to end against a real hub.
// The update "binaries" are small shell scripts, except the good update, which is a script
// that runs the real agent (from source, through tsx) so that it must really come up.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-enroll-'));
let t: TestHub;
let branchId: string;
let hubUrl: string;
const started: Started[] = [];

const pem = (k: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  k.export({ format: 'pem', type: 'pkcs8' }).toString();
const releaseKey = pem(generateKeyPairSync('ed25519').privateKey);
const wrongKey = pem(generateKeyPairSync('ed25519').privateKey);

beforeAll(async () => {
  t = await startTestHub({ BW_DATA_DIR: path.join(dir, 'hub') });
  hubUrl = `http://127.0.0.1:${t.hub.httpPort}`;
  ({
    branch: { id: branchId },
  } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', { slug: 'lyon' }));
});

afterAll(async () => {
  for (const p of started) await stop(p);
  await t?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The agent's CLI in a child process, awaited (the hub runs in this process: never block it). */
function agentCli(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AGENT_BIN, ...args], {
      env: { PATH: process.env.PATH },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function newToken(agentSlug: string) {
  return t.api.post<{
    token: string;
    installCommand: string;
    enrollCommand: string;
    packages: string[];
  }>('/api/v1/enrollment-tokens', {
    branchId,
    agentSlug,
  });
}

describe('enrollment', () => {
  it('trades a one-time token for a working config, and refuses it a second time', async () => {
    const issued = await newToken('lyon-1');
    expect(issued.installCommand).toBe(
      `curl -fsSL ${hubUrl}/install.sh | sudo sh -s -- --token ${issued.token}`,
    );
    const script = await (await fetch(`${hubUrl}/install.sh`)).text();
    expect(script).toContain(`HUB='${hubUrl}'`);
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    // No package on this hub yet: the answer says so, and the UI warns before anyone runs it.
    expect(issued.packages).toEqual([]);

    const file = path.join(dir, 'lyon-1.yaml');
    const first = await agentCli([
      'enroll',
      '--hub',
      hubUrl,
      '--token',
      issued.token,
      '--config',
      file,
    ]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('enrolled as default/lyon/lyon-1');
    expect(first.stdout).toContain(`next: branchwatch-agent run --config ${file}`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    const config = parse(fs.readFileSync(file, 'utf8'));
    expect(config.update).toEqual({ url: hubUrl });
    expect(config.agent).toEqual({ tenant: 'default', branch: 'lyon', id: 'lyon-1' });

    const again = await agentCli([
      'enroll',
      '--hub',
      hubUrl,
      '--token',
      issued.token,
      '--config',
      path.join(dir, 'x.yaml'),
    ]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('this enrollment token has already been used');

    // The config works: the agent connects with the credentials it was given.
    started.push(startNode(AGENT_BIN, ['run', '--config', file], {}, path.join(dir, 'lyon-1.log')));
    await waitFor(
      'the enrolled agent online',
      async () => {
        const { items } = await t.api.get<{ items: { slug: string; online: boolean }[] }>(
          '/api/v1/agents',
        );
        return items.find((a) => a.slug === 'lyon-1' && a.online) ? true : undefined;
      },
      60_000,
    );
  });

  it('names the architectures the hub has an agent package for', async () => {
    const release = path.join(dir, 'hub/releases/0.9.0');
    fs.mkdirSync(release, { recursive: true });
    fs.writeFileSync(path.join(release, 'branchwatch-agent_0.9.0_arm64.deb'), 'a package');
    try {
      expect((await newToken('lyon-arm')).packages).toEqual(['arm64']);
    } finally {
      fs.rmSync(release, { recursive: true });
    }
  });

  it('refuses an expired token with a clear error', async () => {
    const issued = await newToken('lyon-2');
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(
      `UPDATE enrollment_tokens SET expires_at = now() - interval '1 minute' WHERE agent_slug = 'lyon-2'`,
    );
    await db.end();
    const res = await agentCli([
      'enroll',
      '--hub',
      hubUrl,
      '--token',
      issued.token,
      '--config',
      path.join(dir, 'lyon-2.yaml'),
    ]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      /the hub refused the token: this enrollment token expired at .*; make a new one \(BW_ERR_UNAUTHENTICATED\)/,
    );
    expect(fs.existsSync(path.join(dir, 'lyon-2.yaml'))).toBe(false);
  });
});

describe('signed, staged updates', () => {
  const bin = path.join(dir, 'bin/branchwatch-agent');
  const store = new BinaryStore(bin);
  let groupId: string;
  let credentials: { username: string; password: string };
  let agentId: string;
  let updater: Updater;

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(bin));
    fs.writeFileSync(bin, '#!/bin/sh\necho 1.0.0\n', { mode: 0o755 });
    const created = await t.api.post<{ agent: { id: string }; credentials: typeof credentials }>(
      '/api/v1/agents',
      {
        branchId,
        slug: 'lyon-updates',
      },
    );
    ({ credentials } = created);
    agentId = created.agent.id;
    ({
      group: { id: groupId },
    } = await t.api.post<{ group: { id: string } }>('/api/v1/rollout-groups', {
      name: 'wave-1',
      branchIds: [branchId],
    }));
    updater = new Updater({
      hubUrl,
      ...credentials,
      publicKey: publicKeyOf(releaseKey),
      store,
      currentVersion: '1.0.0',
      platform: 'linux-x64',
      log: silentLogger,
    });
  });

  async function release(version: string, script: string, key: string) {
    const binary = Buffer.from(script);
    const signature = signRelease(
      { version, platform: 'linux-x64', sha256: sha256Hex(binary) },
      key,
    );
    const res = await fetch(`${hubUrl}/api/v1/agent-releases/${version}/linux-x64`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await adminToken()}`, 'x-bw-signature': signature },
      body: binary,
    });
    expect(res.status).toBe(201);
    await t.api.request('PUT', `/api/v1/rollout-groups/${groupId}/target`, {
      targetVersion: version,
    });
  }

  async function adminToken() {
    const res = await t.api.request('POST', '/api/v1/auth/login', {
      username: 'admin',
      password: 'test-admin-password',
    });
    return (res.body as { token: string }).token;
  }

  const lastReport = async () =>
    (
      await t.api.get<{ update: { version: string; state: string; detail: string | null } }>(
        `/api/v1/agents/${agentId}/update`,
      )
    ).update;
  const guard = async () => (await agentCli(['update-guard', '--bin', bin])).stderr;

  it('refuses an update signed with the wrong key', async () => {
    await release('1.1.0', '#!/bin/sh\necho 1.1.0\n', wrongKey);
    const outcome = await updater.check();
    expect(outcome).toEqual({
      kind: 'refused',
      version: '1.1.0',
      reason: 'the signature does not verify with the pinned release key',
    });
    expect(fs.readFileSync(bin, 'utf8')).toBe('#!/bin/sh\necho 1.0.0\n');
    expect(fs.existsSync(store.next)).toBe(false);
    expect(await lastReport()).toMatchObject({ version: '1.1.0', state: 'refused' });
  });

  it('rolls back an update that exits at once, and does not try it again', async () => {
    await release('1.2.0', '#!/bin/sh\nexit 3\n', releaseKey);
    expect(await updater.check()).toEqual({ kind: 'installed', version: '1.2.0' });
    expect(fs.readFileSync(bin, 'utf8')).toBe('#!/bin/sh\nexit 3\n');
    expect(fs.readFileSync(store.previous, 'utf8')).toBe('#!/bin/sh\necho 1.0.0\n');
    // What systemd does: guard, start (it dies), guard again on the restart.
    expect(await guard()).toContain('first start of a new version');
    expect(spawnSync(bin).status).toBe(3);
    expect(await guard()).toContain('rolled back to the previous binary');
    expect(fs.readFileSync(bin, 'utf8')).toBe('#!/bin/sh\necho 1.0.0\n');
    expect(execFileSync(bin, { encoding: 'utf8' })).toBe('1.0.0\n');
    expect(await updater.check()).toEqual({
      kind: 'skipped',
      version: '1.2.0',
      reason: 'rolled back before',
    });
  });

  it('applies a good update once the new binary is connected to the hub', async () => {
    const script = `#!/bin/sh\nexec "${process.execPath}" "${AGENT_BIN}" "$@"\n`;
    await release('1.3.0', script, releaseKey);
    expect(await updater.check()).toEqual({ kind: 'installed', version: '1.3.0' });
    expect(await lastReport()).toMatchObject({ version: '1.3.0', state: 'installing' });
    const config = path.join(dir, 'updated.yaml');
    fs.writeFileSync(
      config,
      [
        `hub: {url: "${t.mqttUrl}", username: "${credentials.username}", password: "${credentials.password}"}`,
        'agent: {tenant: default, branch: lyon, id: lyon-updates}',
        `update: {url: "${hubUrl}", binary: "${bin}", publicKey: "${publicKeyOf(releaseKey)}", healthySeconds: 60}`,
        '',
      ].join('\n'),
    );
    expect(await guard()).toContain('first start of a new version');
    const log = path.join(dir, 'updated.log');
    // The binary itself, as systemd's ExecStart runs it (startNode runs node scripts).
    const out = fs.openSync(log, 'a');
    const child = spawn(bin, ['run', '--config', config], {
      stdio: ['ignore', out, out],
      env: { PATH: process.env.PATH },
    });
    fs.closeSync(out);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const p: Started = { child, logFile: log, output: () => fs.readFileSync(log, 'utf8'), exited };
    started.push(p);
    await waitFor(
      'the update confirmed',
      async () => (fs.existsSync(store.markerFile) ? undefined : true),
      90_000,
    );
    await waitFor('the applied report', async () =>
      (await lastReport()).state === 'applied' ? true : undefined,
    );
    await stop(p);
    expect(await guard()).toBe('');
    expect(fs.readFileSync(bin, 'utf8')).toBe(script);
  });
});
