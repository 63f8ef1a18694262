/**
 * What the hub benchmarks share (bench:ingest, bench:fleet, bench:alerts): an embedded
 * PostgreSQL in a temp dir, the real hub as a child process (so its RSS is its own), either
 * with its embedded broker or with BW_MQTT_URL on a mosquitto started here, and agents.
 * Not part of `pnpm test`; the test/support helpers that need vitest are not used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  connectDatabase,
  createLogger,
  freeLoopbackPort,
  startEmbeddedPostgres,
  type Database,
} from '@branchwatch/hub';
import { buildIfStale } from '../support/processes.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const HUB_BIN = path.join(REPO, 'hub/bin/branchwatch-hub.js');
const HUB_SOURCE = path.join(REPO, 'hub/src/server.ts');
const AUTH_BIN = path.join(REPO, 'hub/bin/branchwatch-mosquitto-auth.js');
// The hub as it ships: its build, made anew if the sources changed.
buildIfStale('hub');
const HUB_LOGIN = 'bw-hub:bench-hub-secret';
export const ADMIN_PASSWORD = 'bench-admin-password';

export interface BenchHub {
  db: Database;
  databaseUrl: string;
  baseUrl: string;
  /** Where agents connect. */
  agentUrl: string;
  work: string;
  hub: ChildProcess;
  /** Writes the broker's password/ACL files from the agents table and reloads it (external). */
  refreshBrokerAuth(): Promise<void>;
  rssBytes(): number;
  /** CPU time used so far (user + system), in seconds: the hub, and PostgreSQL's processes. */
  cpuSeconds(): { hub: number; postgres: number };
  /**
   * Bytes the hub has written through system calls so far (`wchar` of /proc/PID/io): its
   * queries to PostgreSQL, the broker's packets to agents and its log.
   */
  writtenBytes(): number;
  stop(): Promise<void>;
}

export async function startBenchHub(opts: {
  external: boolean;
  env?: Record<string, string>;
  /** Node options for the hub process, e.g. `--cpu-prof` (written when the hub stops). */
  nodeArgs?: string[];
  /**
   * Run the hub from its TypeScript sources through tsx (as development does) instead of its
   * build, to measure what compiling buys.
   */
  fromSources?: boolean;
  /** More PostgreSQL server settings (e.g. `shared_preload_libraries`). */
  postgresSettings?: Record<string, string>;
}): Promise<BenchHub> {
  const work = await mkdtemp(path.join(tmpdir(), 'bw-bench-'));
  // As root, the embedded PostgreSQL runs as `postgres`, which must reach its data dir.
  fs.chmodSync(work, 0o755);
  const pg = await startEmbeddedPostgres(
    path.join(work, 'pg'),
    createLogger(process.env.BW_BENCH_PG_LOG ?? 'warn'),
    { settings: opts.postgresSettings },
  );
  const databaseUrl = pg.url;
  const db = connectDatabase(databaseUrl);
  const httpPort = await freeLoopbackPort();
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(httpPort),
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BW_LOG_LEVEL: 'warn',
    // Every simulated agent connects from 127.0.0.1.
    BW_MQTT_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
    ...opts.env,
  };
  let mosquitto: ChildProcess | undefined;
  let agentUrl: string;
  const mq = path.join(work, 'mosquitto');
  const auth = async () => {
    const child = spawn(
      process.execPath,
      [AUTH_BIN, '--password-file', `${mq}/passwords`, '--acl-file', `${mq}/acl`],
      { env: { PATH: process.env.PATH, ...env }, stdio: 'inherit' },
    );
    const code = await new Promise((r) => child.once('exit', r));
    if (code !== 0) throw new Error('hub:mosquitto-auth failed');
  };
  if (opts.external) {
    fs.mkdirSync(mq);
    const [agentPort, hubPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    env.BW_MQTT_URL = `mqtt://${HUB_LOGIN}@127.0.0.1:${hubPort}`;
    env.BW_MQTT_CLIENT_ID ??= 'bw-hub-bench';
    await writeFile(
      `${mq}/mosquitto.conf`,
      [
        'per_listener_settings false',
        'allow_anonymous false',
        `password_file ${mq}/passwords`,
        `acl_file ${mq}/acl`,
        'persistence true',
        `persistence_location ${mq}/`,
        'max_queued_messages 0',
        'max_connections -1',
        'user root',
        `log_dest file ${mq}/mosquitto.log`,
        `listener ${agentPort} 127.0.0.1`,
        'use_username_as_clientid true',
        `listener ${hubPort} 127.0.0.1`,
        '',
      ].join('\n'),
    );
    await auth();
    mosquitto = spawn('mosquitto', ['-c', `${mq}/mosquitto.conf`], { stdio: 'ignore' });
    await until(() => canConnect(hubPort), 15_000);
    agentUrl = `mqtt://127.0.0.1:${agentPort}`;
  } else {
    const mqttPort = await freeLoopbackPort();
    Object.assign(env, { BW_MQTT_HOST: '127.0.0.1', BW_MQTT_PORT: String(mqttPort) });
    agentUrl = `mqtt://127.0.0.1:${mqttPort}`;
  }
  const log = fs.openSync(path.join(work, 'hub.log'), 'a');
  const entry = opts.fromSources ? ['--import', 'tsx', HUB_SOURCE] : [HUB_BIN];
  const hub = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], {
    cwd: REPO,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  await until(async () => (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.ok, 120_000);
  return {
    db,
    databaseUrl,
    baseUrl,
    agentUrl,
    work,
    hub,
    async refreshBrokerAuth() {
      if (!mosquitto) return;
      await auth();
      mosquitto.kill('SIGHUP');
      await new Promise((r) => setTimeout(r, 500));
    },
    rssBytes: () => rssOf(hub.pid!),
    writtenBytes: () => writtenBytesOf(hub.pid!),
    cpuSeconds: () => ({
      hub: cpuSecondsOf(hub.pid!),
      postgres: postgresCpuSeconds(path.join(work, 'pg')),
    }),
    async stop() {
      await stopChild(hub);
      if (mosquitto) await stopChild(mosquitto);
      await db.destroy();
      await pg.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** The machine's 1, 5 and 15 minute load averages (/proc/loadavg), to print beside a figure. */
export function loadAverage(): string {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** RSS of a process from /proc, in bytes. */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Bytes a process wrote through write/writev/send so far (/proc/PID/io), 0 once it is gone. */
export function writtenBytesOf(pid: number): number {
  try {
    return Number(/^wchar: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + system) of a live process from /proc, in seconds (0 once it is gone);
 * `reaped`: with that of its children that ended and were waited for.
 */
export function cpuSecondsOf(pid: number, reaped = false): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // Fields after the command name (which may hold spaces); utime and stime are 14 and 15,
  // cutime and cstime (children waited for) 16 and 17.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const own = fields[11]! + fields[12]!;
  return (reaped ? own + fields[13]! + fields[14]! : own) / CLOCK_TICKS;
}

/** USER_HZ: /proc counts CPU time in these ticks (100 on Linux). */
const CLOCK_TICKS = 100;

/**
 * CPU time of a PostgreSQL server and its backends: the postmaster (first line of
 * postmaster.pid, in the cluster folder inside the data dir), its live children, and those that
 * ended (the postmaster waits for them, and the kernel adds their time to its children's), so
 * that a pool closing idle connections does not take their time away.
 */
function postgresCpuSeconds(dataDir: string): number {
  const pidFile = [dataDir, ...fs.readdirSync(dataDir).map((d) => path.join(dataDir, d))]
    .map((d) => path.join(d, 'postmaster.pid'))
    .find((f) => fs.existsSync(f));
  if (!pidFile) return NaN;
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let total = cpuSecondsOf(postmaster, true);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) total += cpuSecondsOf(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export async function until(probe: () => Promise<unknown>, timeoutMs: number, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up after ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Logs in as admin and returns a small API caller. */
export async function adminApi(baseUrl: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(baseUrl + url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/** Creates `n` agents through the API (each in its own branch); returns their logins. */
export async function createAgents(baseUrl: string, n: number, prefix = 'b') {
  const api = await adminApi(baseUrl);
  const out = [];
  for (let i = 0; i < n; i++) {
    const { branch } = await api<{ branch: { id: string } }>('POST', '/api/v1/branches', {
      slug: `${prefix}-${i}`,
    });
    const issued = await api<{ credentials: { username: string; password: string } }>(
      'POST',
      '/api/v1/agents',
      { branchId: branch.id, slug: `srv-${i}` },
    );
    const [tenant, br, agent] = issued.credentials.username.split('.') as [string, string, string];
    out.push({ ...issued.credentials, address: { tenant, branch: br, agent } });
  }
  return out;
}

export const readText = (file: string) => readFile(file, 'utf8');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
