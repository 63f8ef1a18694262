import { afterAll, beforeAll, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import type { Knex } from 'knex';
import type { MqttClient } from 'mqtt';
import { connectDatabase, type Database } from './database.js';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { ApiClient, waitFor } from '../../../test/support/http.js';
import {
  ADMIN_PASSWORD,
  connectAgent,
  publish,
  startTestHub,
  type TestHub,
} from '../../../test/support/hub.js';
import { metric } from '../../../test/support/metrics.js';

/**
 * API requests have a pool of their own (database.ts, connectApiDatabase): with every
 * connection of the hub's own pool held — two ingest transactions and a state change's
 * listener wait on locks this test holds — the pages people open are still answered, and the
 * agents' batches are acknowledged once the locks go (three connections: the two ingest
 * transactions and the listener).
 */
let t: TestHub;
let db: Database;
let lock: Knex.Transaction | undefined;
const WORK_POOL = 3;
beforeAll(async () => {
  t = await startTestHub({ BW_DB_WORK_POOL_SIZE: String(WORK_POOL) });
  db = connectDatabase(t.databaseUrl);
}, 90_000);
afterAll(async () => {
  if (lock && !lock.isCompleted()) await lock.rollback();
  await db?.destroy();
  await t?.stop();
}, 90_000);

const workUsed = () => metric(t.api.baseUrl, 'bw_db_pool_connections{pool="work",state="used"}');

it('answers API requests while ingest and its listeners hold every connection of their pool', async () => {
  const agents: {
    slug: string;
    id: string;
    client: MqttClient;
    send(seq: number): Promise<void>;
  }[] = [];
  for (const slug of ['pool-a', 'pool-b', 'pool-c']) {
    const issued = await t.api.createAgent(`${slug}-hq`, slug);
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    const topic = topics.results({ tenant: 'default', branch: `${slug}-hq`, agent: slug });
    const send = (seq: number) =>
      publish(
        client,
        topic,
        JSON.stringify(batch(slug, seq, [tcpResult('wan', new Date(), true)])),
      );
    if (slug !== 'pool-c') await send(1);
    agents.push({ slug, id: issued.agent.id, client, send });
  }
  const check = await db('checks').where({ agent_id: agents[0]!.id }).first('id', 'branch_id');
  const { ticket } = await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
    branchId: check.branch_id,
    subject: 'slow link',
    body: 'since this morning',
  });

  // Writers wait for these locks; readers do not. The third agent's first good round is
  // acknowledged, and the listener recording its first verdict waits on a connection.
  lock = await db.transaction();
  await lock.raw('LOCK TABLE check_state_changes IN SHARE MODE');
  await agents[2]!.send(1);
  await waitFor('a listener to hold a connection', async () =>
    (await workUsed()) >= 1 ? true : undefined,
  );
  await lock.raw('LOCK TABLE result_batches IN SHARE MODE');
  const acked: string[] = [];
  const second = (i: number) => agents[i]!.send(2).then(() => void acked.push(agents[i]!.slug));
  // One after the other, so that each batch is a group (a transaction) of its own.
  const held = [second(0)];
  await waitFor('ingest to hold a connection', async () =>
    (await workUsed()) >= 2 ? true : undefined,
  );
  held.push(second(1));
  await waitFor('ingest to hold every connection', async () =>
    (await workUsed()) === WORK_POOL ? true : undefined,
  );

  const signal = () => AbortSignal.timeout(20_000);
  const answered = async (path: string) => {
    const res = await t.api.fetch(path, { signal: signal() });
    return [path, res.status];
  };
  const day = new Date(Date.now() - 86_400_000).toISOString();
  const paths = [
    '/api/v1/tickets?sort=priority&limit=25',
    `/api/v1/tickets/${ticket.id}`,
    `/api/v1/checks/${check.id}/series?from=${day}&to=${new Date().toISOString()}`,
    `/api/v1/branches/${check.branch_id}/topology`,
  ];
  const results = [];
  for (const path of paths) results.push(await answered(path));
  const login = await new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  results.push(['login', login.status]);
  expect(results).toEqual([...paths.map((p) => [p, 200]), ['login', 200]]);

  // Ingest was held all along: nothing acknowledged, both connections still taken.
  expect(acked).toEqual([]);
  expect(await workUsed()).toBe(WORK_POOL);
  expect(await metric(t.api.baseUrl, 'bw_db_pool_wait_seconds_count{pool="api"}')).toBeGreaterThan(
    0,
  );

  await lock.commit();
  await Promise.all(held);
  expect(acked.sort()).toEqual(['pool-a', 'pool-b']);
  for (const { client } of agents) await client.endAsync();
}, 90_000);
