import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, freeLoopbackPort, type Database } from '@branchwatch/hub';
import { createTestDatabase } from './database.js';
import { ApiClient, waitFor } from './http.js';
import { AGENT_BIN, HUB_BIN, startNode, stop, type Started } from './processes.js';

/**
 * Hub and agent as their own processes on a fresh test database, for tests that stop, kill and
 * restart them: a work folder for logs and spools, fixed loopback ports (so a restarted hub is
 * found at the same address), and a TCP listener for the agent's checks. `close()` stops every
 * process it started that is still running.
 */
export interface HubRig {
  work: string;
  /** The hub's BW_DATA_DIR when it runs its embedded PostgreSQL. */
  dataDir: string;
  db: Database;
  api: ApiClient;
  /** A loopback TCP server that accepts and closes: a check target that is up. */
  target: net.Server;
  targetPort: number;
  /** Starts a hub process (logging to hub-RUN.log) and waits until it is ready. */
  startHub(run: number): Promise<Started>;
  /** Starts `branchwatch-agent run --config FILE` (logging to agent-N.log). */
  startAgent(file: string): Started;
  close(): Promise<void>;
}

export async function createHubRig(
  prefix: string,
  adminPassword: string,
  options: {
    /** A database of the test's own (e.g. on a server it stops); a fresh test database otherwise. */
    databaseUrl?: string;
    /**
     * The hub starts its own embedded PostgreSQL in `work/data` (no DATABASE_URL); `db` reaches
     * it once the hub has started it.
     */
    embedded?: boolean;
    /** More settings of the hub. */
    env?: Record<string, string>;
  } = {},
): Promise<HubRig> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const dataDir = path.join(work, 'data');
  let database: Record<string, string>;
  let db: Database;
  if (options.embedded) {
    // PostgreSQL runs as user postgres when the test runs as root (embedded-postgres.ts).
    await fs.chmod(work, 0o755);
    database = { BW_DATA_DIR: dataDir };
    db = connectDatabase(() => embeddedUrl(dataDir));
  } else {
    const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
    database = { DATABASE_URL: databaseUrl };
    db = connectDatabase(databaseUrl);
  }
  // The agents' TCP target first: its port (the system's choice) is then kept from the hub's.
  // A port freeLoopbackPort has just released may be the next one the system gives out, and a
  // hub whose HTTP port the target took cannot start, while its API polls the target, which
  // closes every connection ("other side closed"; seen once in CI).
  const target = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetPort = (target.address() as net.AddressInfo).port;
  const taken = new Set([targetPort]);
  const distinctPort = async () => {
    for (;;) {
      const port = await freeLoopbackPort();
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  const [httpPort, mqttPort] = [await distinctPort(), await distinctPort()];
  const env = {
    ...database,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(httpPort),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: String(mqttPort),
    BW_ADMIN_PASSWORD: adminPassword,
    ...options.env,
  };
  const api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  const started: Started[] = [];
  let agentRun = 0;
  return {
    work,
    dataDir,
    db,
    api,
    target,
    targetPort,
    async startHub(run) {
      const hub = startNode(HUB_BIN, [], env, path.join(work, `hub-${run}.log`));
      started.push(hub);
      // Ready, or exited: a first start makes the embedded cluster, which took over 30 s at a
      // load of 20, so the wait is long, and a hub that dies says so at once with its log.
      let ready = false;
      const exitedFirst = hub.exited.then(({ code, signal }) => {
        // Once ready, an exit is the test's business (it may kill the hub itself).
        if (!ready)
          throw new Error(
            `the hub exited (${code ?? signal}) before it was ready:\n${hub.output()}`,
          );
      });
      await Promise.race([
        waitFor(
          'the hub to be ready',
          async () => ((await api.get('/readyz')) ? true : undefined),
          120_000,
        ),
        exitedFirst,
      ]).finally(() => (ready = true));
      return hub;
    },
    startAgent(file) {
      const log = path.join(work, `agent-${++agentRun}.log`);
      const agent = startNode(AGENT_BIN, ['run', '--config', file], {}, log);
      started.push(agent);
      return agent;
    },
    async close() {
      // Agents first, so that nothing is left publishing to a hub being stopped.
      for (const p of [...started].reverse()) await stop(p);
      target.close();
      await db.destroy();
      if (!process.env.BW_TEST_KEEP) await fs.rm(work, { recursive: true, force: true });
    },
  };
}

/** Sequence numbers of the batches in an agent's spool (files named by zero-padded seq). */
export async function spooled(dir: string): Promise<number[]> {
  return (await fs.readdir(dir))
    .filter((f) => /^\d{16}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 16)));
}

/** The agent's spool ledger: the next sequence number and what the size bound dropped. */
export async function spoolState(dir: string) {
  return JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')) as {
    nextSeq: number;
    droppedBatches: number;
  };
}

/**
 * The URL of the embedded PostgreSQL a hub runs in `dataDir`: its credentials file, and the
 * port from the server's lock file (postmaster.pid, fourth line).
 */
export async function embeddedUrl(dataDir: string): Promise<string> {
  const { user, password } = JSON.parse(
    await fs.readFile(path.join(dataDir, 'postgres-credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  const lock = await fs.readFile(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8');
  const port = Number(lock.split('\n')[3]);
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/branchwatch`;
}

/** The pid of the embedded PostgreSQL's postmaster, from its lock file. */
export async function postmasterPid(dataDir: string): Promise<number> {
  const lock = await fs.readFile(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8');
  return Number(lock.split('\n')[0]);
}
