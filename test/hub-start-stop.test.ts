import { spawn } from 'node:child_process';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freeLoopbackPort, isProcessRunning } from '@branchwatch/hub';
import { parse, stringify } from 'yaml';
import { ApiClient, waitFor } from './support/http.js';
import { metric } from './support/metrics.js';
import {
  AGENT_BIN,
  HUB_BIN,
  processesMentioning,
  REPO,
  startNode,
  stop,
  type Started,
} from './support/processes.js';

/**
 * The hub with its embedded PostgreSQL, as a person runs it: started, stopped with Ctrl-C,
 * killed, started on a port that is taken. Whatever happens, no PostgreSQL is left behind
 * except after a SIGKILL, and then the next start stops it.
 */
let work: string;
let hub: Started | undefined;
beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-start-stop-'));
  // PostgreSQL runs as user postgres when the test runs as root (embedded-postgres.ts).
  await fs.chmod(work, 0o755);
});
afterEach(async () => {
  if (hub) await stop(hub);
  hub = undefined;
});
afterAll(async () => {
  if (!process.env.BW_TEST_KEEP) await fs.rm(work, { recursive: true, force: true });
});

// A stopped server nobody has reaped yet (a zombie, in a container without an init) is not alive.
const alive = isProcessRunning;

async function hubSettings(name: string) {
  const dataDir = path.join(work, name);
  const httpPort = await freeLoopbackPort();
  const env = {
    BW_DATA_DIR: dataDir,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(httpPort),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: String(await freeLoopbackPort()),
    BW_ADMIN_PASSWORD: 'start-stop-admin-password',
  };
  const api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  const ready = () =>
    waitFor(
      'the hub to be ready',
      async () => ((await api.get('/readyz')) ? true : undefined),
      90_000,
    );
  const clusterDir = path.join(dataDir, 'postgres');
  const postgresPid = async () =>
    Number((await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  return { env, api, ready, httpPort, clusterDir, postgresPid };
}

/** The log lines of a hub at level warn (40) or above. */
function warningsIn(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .filter((line) => (JSON.parse(line) as { level: number }).level >= 40);
}

it('stops with its database on a Ctrl-C while an agent reports, exits 0 and logs no error', async () => {
  const { env, api, ready, postgresPid, clusterDir } = await hubSettings('ctrl-c');
  // A terminal sends Ctrl-C's SIGINT to its foreground process group: the hub is started in
  // a group of its own, and the signal goes to the whole group.
  hub = startNode(HUB_BIN, [], env, path.join(work, 'ctrl-c.log'), { processGroup: true });
  await ready();
  const postgres = await postgresPid();
  expect(alive(postgres)).toBe(true);
  expect(hub.output()).toMatch(/Branchwatch hub is up: .* \(started in \d+\.\d s\)/);

  // An agent connected and reporting twice a second: its connection, its batches in flight
  // and its offline mark all meet the stop.
  await api.login('admin', 'start-stop-admin-password');
  const issued = await api.createAgent('hq', 'srv-01');
  const target = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const config = parse(issued.config) as Record<string, unknown>;
  config.spool = { dir: path.join(work, 'ctrl-c-spool') };
  config.batch = { intervalSeconds: 0.5 };
  config.checks = [
    {
      id: 'link',
      type: 'tcp',
      target: `127.0.0.1:${(target.address() as net.AddressInfo).port}`,
      intervalSeconds: 0.5,
    },
  ];
  const configFile = path.join(work, 'ctrl-c-agent.yaml');
  await fs.writeFile(configFile, stringify(config));
  const agent = startNode(AGENT_BIN, ['run', '--config', configFile], {}, `${configFile}.log`);
  try {
    await waitFor('batches stored', async () =>
      (await metric(api.baseUrl, 'bw_ingest_batches_total{outcome="accepted"}')) >= 3
        ? true
        : undefined,
    );
    process.kill(-hub.child.pid!, 'SIGINT');
    expect(await hub.exited).toEqual({ code: 0, signal: null });
  } finally {
    await stop(agent);
    target.close();
  }
  const output = hub.output();
  hub = undefined;
  expect(warningsIn(output)).toEqual([]);
  expect(output).toContain('"msg":"hub stopped"');
  expect(alive(postgres)).toBe(false);
  expect(processesMentioning(clusterDir)).toEqual([]);
});

// The README's start command runs `bin/branchwatch-hub`, which execs node: the process the
// terminal started is the hub itself, with its heap bounded (docs/decisions.md, "The hub's heap
// is bounded"). `pnpm start` runs the same script; pnpm stays as the hub's parent.
it.each([
  { command: 'bin/branchwatch-hub', args: [] as string[], hubIs: 'the started process' },
  { command: 'pnpm', args: ['start'], hubIs: "pnpm's only child" },
])(
  'starts with $command $args ($hubIs is the hub) and stops on Ctrl-C',
  async ({ command, args }) => {
    const { env, ready, clusterDir } = await hubSettings(`start-${command.replace(/\W/g, '-')}`);
    const logFile = path.join(work, `start-${command.replace(/\W/g, '-')}.log`);
    const log = fsSync.openSync(logFile, 'a');
    // In a process group of its own, as a terminal runs it.
    const child = spawn(command, args, {
      cwd: REPO,
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME ?? work,
        // No look-up of a newer pnpm: tests talk to loopback only.
        npm_config_update_notifier: 'false',
        ...env,
      },
      stdio: ['ignore', log, log],
      detached: true,
    });
    fsSync.closeSync(log);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const output = () => fsSync.readFileSync(logFile, 'utf8');
    try {
      await ready();
      expect(output()).toMatch(/Branchwatch hub is up: .* \(started in \d+\.\d s\)/);
      let hubPid = child.pid!;
      if (command === 'pnpm') {
        const children = fsSync
          .readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
          .trim()
          .split(' ');
        expect(children).toHaveLength(1);
        hubPid = Number(children[0]);
      }
      const cmdline = fsSync.readFileSync(`/proc/${hubPid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.slice(0, 3)).toEqual([
        'node',
        '--max-old-space-size=512',
        'hub/bin/branchwatch-hub.js',
      ]);

      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-child.pid!, 'SIGKILL');
    }
    expect(output()).not.toContain('ELIFECYCLE');
    expect(warningsIn(output())).toEqual([]);
    expect(output()).toContain('"msg":"hub stopped"');
    expect(processesMentioning(clusterDir)).toEqual([]);
  },
);

it('stops the PostgreSQL it started when its HTTP port is taken, every time', async () => {
  const { env, httpPort, clusterDir } = await hubSettings('port-taken');
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(httpPort, '127.0.0.1', resolve));
  try {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const failed = startNode(HUB_BIN, [], env, path.join(work, `port-taken-${attempt}.log`));
      expect(await failed.exited).toEqual({ code: 1, signal: null });
      expect(failed.output()).toContain(
        `cannot listen for HTTP on 127.0.0.1:${httpPort}: the port is already in use ` +
          '(choose another with BW_HTTP_PORT)',
      );
      // The database had come up: it was migrated before the port was tried.
      expect(failed.output()).toContain('embedded PostgreSQL is up');
      expect(processesMentioning(clusterDir)).toEqual([]);
    }
  } finally {
    squatter.close();
  }
});

it('shows the admin password made by a first start stopped with Ctrl-C before it was up', async () => {
  const { env, api, ready } = await hubSettings('first-start-stopped');
  const { BW_ADMIN_PASSWORD: _chosen, ...generated } = env;
  hub = startNode(HUB_BIN, [], generated, path.join(work, 'first-start-stopped-1.log'));
  // Ctrl-C while the cluster is being made: the start goes on to the end (the admin is made
  // with a generated password), then the hub stops.
  const first = hub;
  await waitFor(
    'the cluster to be in the making',
    async () => first.output().includes('creating the embedded PostgreSQL cluster') || undefined,
    60_000,
  );
  first.child.kill('SIGINT');
  expect(await first.exited).toEqual({ code: 0, signal: null });
  expect(first.output()).not.toContain('Branchwatch hub is up');
  const password = /Log in as "admin" with password: (\S+)/.exec(first.output())?.[1];
  expect(password).toBeDefined();

  hub = startNode(HUB_BIN, [], generated, path.join(work, 'first-start-stopped-2.log'));
  await ready();
  expect(hub.output()).not.toContain('with password:');
  await api.login('admin', password!);
  expect(await stop(hub, 'SIGINT')).toEqual({ code: 0, signal: null });
  hub = undefined;
});

it('comes back on its own data after a SIGKILL', async () => {
  const { env, api, ready, postgresPid } = await hubSettings('sigkill');
  hub = startNode(HUB_BIN, [], env, path.join(work, 'sigkill-1.log'));
  await ready();
  await api.login('admin', 'start-stop-admin-password');
  await api.post('/api/v1/branches', { slug: 'kept', name: 'Survives the kill' });

  // A SIGKILL leaves the embedded PostgreSQL running and holding the cluster; the next start
  // must stop that server and come up on the same data.
  await stop(hub, 'SIGKILL');
  const orphan = await postgresPid();
  expect(alive(orphan)).toBe(true);

  hub = startNode(HUB_BIN, [], env, path.join(work, 'sigkill-2.log'));
  await ready();
  expect(alive(orphan)).toBe(false);
  expect(hub.output()).toContain('stopping a PostgreSQL left running by an earlier hub');
  await api.login('admin', 'start-stop-admin-password');
  const { items } = await api.get<{ items: { slug: string; name: string }[] }>('/api/v1/branches');
  expect(items).toEqual([expect.objectContaining({ slug: 'kept', name: 'Survives the kill' })]);
  expect(await stop(hub)).toEqual({ code: 0, signal: null });
  hub = undefined;
});
