import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createLogger, startEmbeddedPostgres } from '@branchwatch/hub';
import { waitFor } from './support/http.js';
import { settledLedger } from './support/ledger.js';
import { metric } from './support/metrics.js';
import { stop, type Started } from './support/processes.js';
import { createHubRig, spoolState, spooled, type HubRig } from './support/rig.js';
import { startTcpRelay, type TcpRelay } from './support/tcp-relay.js';

/**
 * The fault suite: real agent processes report to a hub process through every fault in one
 * run — the hub's PostgreSQL stopped and started under it, the hub restarted (its embedded
 * broker with it), and the hub killed with SIGKILL three times in the middle of ingest. At the
 * end every batch an agent had acknowledged is stored exactly once, every result once, and
 * every agent connected again without a person. It prints the figures (batches acknowledged
 * and stored, duplicates, reconnect times).
 *
 * The database is a PostgreSQL server of this test's own behind a TCP relay on a fixed port
 * (as in database-outage.test.ts): a restarted server comes up on another port.
 */
const ADMIN_PASSWORD = 'faults-admin-password';
const AGENTS = ['srv-a', 'srv-b', 'srv-c'];
const KILLS = 3;

let pgDir: string;
let database: { url: string; stop(): Promise<void> } | undefined;
let relay: TcpRelay;
let rig: HubRig;
let hub: Started | undefined;
const agents = new Map<string, { process: Started | undefined; spool: string }>();

const pgLogger = createLogger('warn');
const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  pgDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-faults-pg-'));
  // PostgreSQL runs as user postgres when the test runs as root (embedded-postgres.ts).
  await fs.chmod(pgDir, 0o755);
  database = await startEmbeddedPostgres(pgDir, pgLogger);
  relay = await startTcpRelay(portOf(database.url));
  const databaseUrl = new URL(database.url);
  databaseUrl.port = String(relay.port);
  rig = await createHubRig('bw-faults-', ADMIN_PASSWORD, { databaseUrl: databaseUrl.toString() });
});

afterAll(async () => {
  for (const a of agents.values()) if (a.process) await stop(a.process);
  await rig?.close();
  await relay?.close();
  await database?.stop();
  await fs.rm(pgDir, { recursive: true, force: true });
});

interface Connected {
  msg: string;
  attempts?: number;
  downSeconds?: number;
}

/** The agent's "connected to broker" lines after the first: each a reconnection. */
function reconnections(log: string): Connected[] {
  return log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Connected)
    .filter((l) => l.msg === 'connected to broker')
    .slice(1);
}

it('every acknowledged batch stored exactly once and every agent back by itself, through every fault', async () => {
  const { api, db, work } = rig;
  const started = Date.now();
  const phases: string[] = [];
  const phase = (name: string) =>
    phases.push(`${name} at ${((Date.now() - started) / 1000).toFixed(0)} s`);
  hub = await rig.startHub(1);
  const hubUrl = api.baseUrl;
  await api.login('admin', ADMIN_PASSWORD);
  for (const slug of AGENTS) {
    const issued = await api.createAgent(`branch-${slug}`, slug);
    const config = parse(issued.config) as Record<string, unknown>;
    const spool = path.join(work, `spool-${slug}`);
    config.spool = { dir: spool };
    config.batch = { intervalSeconds: 0.3 };
    config.checks = Array.from({ length: 4 }, (_, i) => ({
      id: `link-${i}`,
      type: 'tcp',
      target: `127.0.0.1:${rig.targetPort}`,
      intervalSeconds: 0.25,
      timeoutSeconds: 0.2,
    }));
    const file = path.join(work, `${slug}.yaml`);
    await fs.writeFile(file, stringify(config));
    agents.set(slug, { process: rig.startAgent(file), spool });
  }
  const stored = async () => Number((await db('result_batches').count({ n: '*' }))[0]!.n);
  const connected = () => metric(hubUrl, 'bw_mqtt_agents_connected').catch(() => -1);
  const allConnected = (what: string, timeoutMs = 90_000) =>
    waitFor(
      what,
      async () => ((await connected()) === AGENTS.length ? true : undefined),
      timeoutMs,
    );
  // Back from the agent's side too: a connection the hub counts may not have reached the agent
  // (its CONNACK still on the way) when the next fault cuts it.
  const connects = (slug: string) =>
    agents
      .get(slug)!
      .process!.output()
      .split('\n')
      .filter((l) => l.includes('"connected to broker"')).length;
  const connectsBefore = new Map<string, number>();
  const markConnects = () => {
    for (const slug of AGENTS) connectsBefore.set(slug, connects(slug));
  };
  const everyAgentBack = async (what: string) => {
    await allConnected(what);
    await waitFor(
      `${what} (each agent's own log)`,
      async () =>
        AGENTS.every((slug) => connects(slug) > connectsBefore.get(slug)!) ? true : undefined,
      90_000,
    );
  };
  const moreStored = async (what: string, n: number) => {
    const before = await stored();
    await waitFor(what, async () => ((await stored()) >= before + n ? true : undefined), 60_000);
  };
  await allConnected('every agent connected');
  await moreStored('batches of every agent stored', 3 * AGENTS.length);
  phase('agents reporting');

  // 1. PostgreSQL stops under the running hub: batches fail to commit (no PUBACK), and the
  // broker refuses reconnects (CONNACK 3, it cannot check passwords). Then it starts again.
  markConnects();
  await database!.stop();
  database = undefined;
  await waitFor(
    'the broker to refuse every agent',
    async () =>
      [...agents.values()].every((a) => /server unavailable/i.test(a.process!.output()))
        ? true
        : undefined,
    60_000,
  );
  await new Promise((r) => setTimeout(r, 4000));
  database = await startEmbeddedPostgres(pgDir, pgLogger);
  relay.retarget(portOf(database.url));
  await everyAgentBack('every agent back after the database outage');
  await moreStored('ingest to go on after the database outage', AGENTS.length);
  phase('database stopped and started');

  // 2. The hub restarts (stopped cleanly): the embedded broker goes and comes back.
  markConnects();
  expect(await stop(hub)).toEqual({ code: 0, signal: null });
  await new Promise((r) => setTimeout(r, 2000));
  hub = await rig.startHub(2);
  await everyAgentBack('every agent back after the broker restarted');
  await moreStored('ingest to go on after the broker restarted', AGENTS.length);
  phase('hub and broker restarted');

  // 3. The hub killed with SIGKILL in the middle of ingest, again and again.
  for (let kill = 1; kill <= KILLS; kill++) {
    await moreStored(`ingest before kill ${kill}`, AGENTS.length);
    markConnects();
    expect((await stop(hub, 'SIGKILL')).signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    hub = await rig.startHub(2 + kill);
    await everyAgentBack(`every agent back after kill ${kill}`);
  }
  await moreStored('ingest after the last kill', 2 * AGENTS.length);
  phase(`hub killed ${KILLS} times`);

  // Spools emptied, then the agents stop (what they made at the stop may stay in the spool).
  await waitFor(
    'every spool to empty',
    async () => {
      for (const a of agents.values()) if ((await spooled(a.spool)).length > 2) return undefined;
      return true;
    },
    90_000,
  );
  const figures: string[] = [];
  const reconnectSeconds: number[] = [];
  let acked = 0;
  let leftInSpools = 0;
  for (const [slug, a] of agents) {
    expect(await stop(a.process!)).toEqual({ code: 0, signal: null });
    const log = a.process!.output();
    a.process = undefined;
    const back = reconnections(log);
    // Back after each fault: the outage, the restart and every kill.
    expect(back.length).toBeGreaterThanOrEqual(2 + KILLS);
    reconnectSeconds.push(...back.map((b) => b.downSeconds ?? 0));
    const { nextSeq, droppedBatches } = await spoolState(a.spool);
    expect(droppedBatches).toBe(0);
    const left = new Set(await spooled(a.spool));
    const acknowledged = Array.from({ length: nextSeq }, (_, i) => i).filter((s) => !left.has(s));
    const agentId = (await db('agents').where({ slug }).first('id'))?.id as string;
    const seqs = (
      await db('result_batches').where({ agent_id: agentId }).select('seq').orderBy('seq')
    ).map((r: { seq: string | number }) => Number(r.seq));
    const storedSet = new Set(seqs);
    // Stored once each; every acknowledged batch stored; nothing stored that the agent never made.
    expect(storedSet.size).toBe(seqs.length);
    expect(acknowledged.filter((s) => !storedSet.has(s))).toEqual([]);
    expect(seqs.every((s) => s < nextSeq)).toBe(true);
    acked += acknowledged.length;
    leftInSpools += left.size;
    figures.push(
      `${slug}: ${nextSeq} batches made, ${acknowledged.length} acknowledged, ${seqs.length} stored ` +
        `(${seqs.length - acknowledged.length} stored but unacknowledged at the stop), ` +
        `${back.length} reconnections`,
    );
  }
  const settled = await settledLedger(db);
  // No result stored twice and none lost: the stored batches' counts match the stored rows.
  expect(settled.results).toBe(settled.claimed);
  const duplicates = Number(
    (await db.raw(`SELECT count(*) - count(DISTINCT (agent_id, seq)) AS n FROM result_batches`))
      .rows[0].n,
  );
  expect(duplicates).toBe(0);
  reconnectSeconds.sort((x, y) => x - y);
  console.log(
    [
      `fault suite (${((Date.now() - started) / 1000).toFixed(0)} s): ${phases.join('; ')}`,
      ...figures,
      `all: ${acked} batches acknowledged, ${settled.batches} stored, ${duplicates} duplicates, ` +
        `${settled.results} results stored for ${settled.claimed} claimed, ${leftInSpools} left in spools at the stop`,
      `reconnections: ${reconnectSeconds.length}, down for ${reconnectSeconds[0]} s at least, ` +
        `${reconnectSeconds[Math.floor(reconnectSeconds.length / 2)]} s median, ${reconnectSeconds.at(-1)} s at most`,
    ].join('\n'),
  );
});
