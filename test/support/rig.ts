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
  } = {},
): Promise<HubRig> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const db = connectDatabase(databaseUrl);
  const [httpPort, mqttPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const env = {
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(httpPort),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: String(mqttPort),
    BW_ADMIN_PASSWORD: adminPassword,
  };
  const api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  const target = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const started: Started[] = [];
  let agentRun = 0;
  return {
    work,
    db,
    api,
    target,
    targetPort: (target.address() as net.AddressInfo).port,
    async startHub(run) {
      const hub = startNode(HUB_BIN, [], env, path.join(work, `hub-${run}.log`));
      started.push(hub);
      await waitFor('the hub to be ready', async () =>
        (await api.get('/readyz')) ? true : undefined,
      );
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
