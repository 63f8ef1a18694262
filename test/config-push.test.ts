import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { waitFor } from './support/http.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { AGENT_BIN, startNode, stop, type Started } from './support/processes.js';

/**
 * Checks edited through the hub's API reach a running agent within seconds, without a restart
 * (issue: configuration from the hub); a config the agent cannot run is refused and reported,
 * and the checks in force keep running.
 */
let t: TestHub;
let db: Database;
let agent: Started | undefined;
let work: string;
let server: net.Server;
let target: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-config-push-'));
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl);
  server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  if (agent) await stop(agent);
  server?.close();
  await db?.destroy();
  await t?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

const resultsOf = async (key: string) =>
  Number(
    (
      await db('check_results as r')
        .join('checks as c', 'c.id', 'r.check_id')
        .where('c.key', key)
        .count({ n: '*' })
    )[0]!.n,
  );

interface AgentView {
  id: string;
  config: { revision: number; appliedRevision: number | null; error: string | null };
}

it('applies checks from the API without a restart and refuses ones it cannot run', async () => {
  const issued = await t.api.createAgent('hq', 'srv-01');
  const config = parse(issued.config) as Record<string, unknown>;
  config.spool = { dir: path.join(work, 'spool') };
  config.batch = { intervalSeconds: 0.2 };
  config.checks = [{ id: 'local', type: 'tcp', target, intervalSeconds: 0.3 }];
  const file = path.join(work, 'agent.yaml');
  await fs.writeFile(file, stringify(config));
  agent = startNode(AGENT_BIN, ['run', '--config', file], {}, path.join(work, 'agent.log'));
  await waitFor('results of the file check', async () =>
    (await resultsOf('local')) > 0 ? true : undefined,
  );

  const pushedAt = Date.now();
  await t.api.post(`/api/v1/agents/${issued.agent.id}/checks`, {
    key: 'pushed',
    type: 'tcp',
    target,
    intervalSeconds: 0.3,
  });
  await waitFor(
    'results of the pushed check',
    async () => ((await resultsOf('pushed')) > 0 ? true : undefined),
    15_000,
  );
  const seconds = (Date.now() - pushedAt) / 1000;
  console.log(
    `config push: API change to first stored result of the new check in ${seconds.toFixed(2)} s`,
  );
  const report = async () =>
    (await t.api.get<{ items: AgentView[] }>('/api/v1/agents')).items.find(
      (a) => a.id === issued.agent.id,
    )!.config;
  expect(
    await waitFor('the applied revision reported', async () => {
      const r = await report();
      return r.appliedRevision === 1 ? r : undefined;
    }),
  ).toMatchObject({ revision: 1, appliedRevision: 1, error: null });

  // The hub's checks run beside the file's: `local` keeps being measured.
  const localBefore = await resultsOf('local');
  await waitFor('the file check still measured', async () =>
    (await resultsOf('local')) > localBefore ? true : undefined,
  );

  // A check the agent's probe would refuse is refused by the hub, naming the field; the
  // agent's config is untouched and `pushed` keeps running.
  const refused = await t.api.request('POST', `/api/v1/agents/${issued.agent.id}/checks`, {
    key: 'gateway',
    type: 'icmp',
    target: '127.0.0.1',
    options: { count: 'many' },
  });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toContain('count');
  expect(await report()).toMatchObject({ revision: 1, appliedRevision: 1, error: null });
  const pushedBefore = await resultsOf('pushed');
  await waitFor('pushed still measured', async () =>
    (await resultsOf('pushed')) > pushedBefore ? true : undefined,
  );

  expect(await stop(agent)).toEqual({ code: 0, signal: null });
  agent = undefined;
});
