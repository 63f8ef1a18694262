import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { isProcessRunning } from '@branchwatch/hub';
import { waitFor } from './support/http.js';
import { settledLedger } from './support/ledger.js';
import { metric } from './support/metrics.js';
import { stop, type Started } from './support/processes.js';
import {
  createHubRig,
  embeddedUrl,
  postmasterPid,
  spoolState,
  spooled,
  type HubRig,
} from './support/rig.js';

/**
 * The hub runs its own PostgreSQL; here that server is killed with SIGKILL under a running hub
 * and a real agent. The hub must start it again by itself, tell a supervisor it is still alive
 * meanwhile (/healthz), and the agent must come back without a person: every batch it made is
 * stored exactly once.
 */
const ADMIN_PASSWORD = 'embedded-restart-admin-password';
let rig: HubRig;
let agent: Started | undefined;

beforeAll(async () => {
  rig = await createHubRig('bw-embedded-restart-', ADMIN_PASSWORD, { embedded: true });
});
afterAll(async () => {
  if (agent) await stop(agent);
  await rig?.close();
});

// A stopped server nobody has reaped yet (a zombie, in a container without an init) is not alive.
const alive = isProcessRunning;

it('restarts its embedded PostgreSQL killed under it; the agent comes back by itself', async () => {
  const { api, db, work } = rig;
  const hub = await rig.startHub(1);
  await api.login('admin', ADMIN_PASSWORD);
  const issued = await api.createAgent('hq', 'srv-01');
  const config = parse(issued.config) as Record<string, unknown>;
  const spoolDir = path.join(work, 'spool');
  config.spool = { dir: spoolDir };
  config.batch = { intervalSeconds: 0.2 };
  config.checks = ['a', 'b', 'c'].map((id) => ({
    id,
    type: 'tcp',
    target: `127.0.0.1:${rig.targetPort}`,
    intervalSeconds: 0.2,
    timeoutSeconds: 0.5,
  }));
  const file = path.join(work, 'agent.yaml');
  await fs.writeFile(file, stringify(config));
  agent = rig.startAgent(file);
  const storedBatches = async () => Number((await db('result_batches').count({ n: '*' }))[0]!.n);
  await waitFor('batches stored', async () => ((await storedBatches()) >= 10 ? true : undefined));

  const killed = await postmasterPid(rig.dataDir);
  const killedAt = Date.now();
  process.kill(killed, 'SIGKILL');
  await waitFor('the postmaster to go', async () => (alive(killed) ? undefined : true));
  // Alive, though not ready: the hub is recovering by itself and must not be restarted.
  expect(await api.request('GET', '/healthz')).toMatchObject({
    status: 200,
    body: { status: 'ok' },
  });

  await waitFor(
    'the hub to restart its PostgreSQL',
    async () => (/embedded PostgreSQL restarted/.test(hub.output()) ? true : undefined),
    60_000,
  );
  const restartedAfter = (Date.now() - killedAt) / 1000;
  expect(await postmasterPid(rig.dataDir)).not.toBe(killed);
  await waitFor('the hub to be ready', async () => ((await api.get('/readyz')) ? true : undefined));
  const before = await storedBatches();
  await waitFor(
    'the agent to store again and empty its spool',
    async () =>
      (await storedBatches()) >= before + 10 && (await spooled(spoolDir)).length <= 2
        ? true
        : undefined,
    90_000,
  );
  const recoveredAfter = (Date.now() - killedAt) / 1000;
  expect(await metric(api.baseUrl, 'bw_mqtt_agents_connected')).toBe(1);
  expect(await metric(api.baseUrl, 'bw_embedded_database{state="restarts"}')).toBe(1);
  expect(await metric(api.baseUrl, 'bw_embedded_database{state="up"}')).toBe(1);
  // The API serves again on the same session.
  expect((await api.request('GET', '/api/v1/tickets')).status).toBe(200);

  expect(await stop(agent)).toEqual({ code: 0, signal: null });
  agent = undefined;
  const settled = await settledLedger(db);
  const { nextSeq } = await spoolState(spoolDir);
  const seqs = (await db('result_batches').select('seq').orderBy('seq')).map(
    (r: { seq: string | number }) => Number(r.seq),
  );
  const left = await spooled(spoolDir);
  // Stored once, or still in the spool (made at the stop, or in flight then).
  expect(new Set(seqs).size).toBe(seqs.length);
  expect([...new Set([...seqs, ...left])].sort((a, b) => a - b)).toEqual(
    Array.from({ length: nextSeq }, (_, i) => i),
  );
  expect(settled.results).toBe(settled.claimed);
  console.log(
    `embedded PostgreSQL killed: restarted after ${restartedAfter.toFixed(1)} s, agent storing ` +
      `and spool drained after ${recoveredAfter.toFixed(1)} s; ${seqs.length} batches and ` +
      `${settled.results} results stored once each, ${left.length} left in the spool at the stop`,
  );
});

it('tells a supervisor through /healthz when its PostgreSQL does not start again', async () => {
  const stuck = await createHubRig('bw-embedded-stuck-', ADMIN_PASSWORD, {
    embedded: true,
    env: { BW_EMBEDDED_DB_DOWN_LIMIT_SECONDS: '3' },
  });
  try {
    const hub = await stuck.startHub(1);
    const port = Number(new URL(await embeddedUrl(stuck.dataDir)).port);
    const killed = await postmasterPid(stuck.dataDir);
    process.kill(killed, 'SIGKILL');
    // The port is taken as soon as the postmaster lets go of it: no restart can bind it.
    const squatter = net.createServer((socket) => socket.destroy());
    await waitFor(
      'the port to be free',
      () =>
        new Promise<true | undefined>((resolve) => {
          squatter.once('error', () => resolve(undefined));
          squatter.listen(port, '127.0.0.1', () => resolve(true));
        }),
      10_000,
      20,
    );
    try {
      const failing = await waitFor('/healthz to fail', async () => {
        const res = await stuck.api.request('GET', '/healthz');
        return res.status === 503 ? res.body : undefined;
      });
      expect(failing).toMatchObject({
        status: 'failing',
        problems: [expect.stringMatching(/embedded PostgreSQL has been down/)],
      });
      expect(hub.output()).toMatch(/did not start again/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    // Once it can, the hub starts it again, and is alive and ready.
    await waitFor(
      'the hub to be ready again',
      async () => ((await stuck.api.get('/readyz')) ? true : undefined),
      60_000,
    );
    expect(await stuck.api.request('GET', '/healthz')).toMatchObject({ status: 200 });
  } finally {
    await stuck.close();
  }
});
