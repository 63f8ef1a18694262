import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAgentConfig, topics, type AgentConfig } from '@branchwatch/contract';
import { waitFor } from '../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';

let t: TestHub;
let agentId: string;
let credentials: { username: string; password: string };
const address = { tenant: 'default', branch: 'hq', agent: 'srv-01' };

beforeAll(async () => {
  t = await startTestHub();
  const issued = await t.api.createAgent('hq', 'srv-01');
  agentId = issued.agent.id;
  credentials = issued.credentials;
});
afterAll(() => t?.stop());

/** Subscribes as the agent and collects every config it is handed. */
async function listen(): Promise<{ client: MqttClient; configs: AgentConfig[] }> {
  const client = await connectAgent(t.mqttUrl, credentials);
  const configs: AgentConfig[] = [];
  client.on('message', (_topic, payload) => {
    const decoded = decodeAgentConfig(payload);
    if (decoded.ok) configs.push(decoded.value);
  });
  await client.subscribeAsync(topics.config(address), { qos: 1 });
  return { client, configs };
}

const latest = (configs: AgentConfig[], revision: number) =>
  waitFor(`config revision ${revision}`, async () => configs.find((c) => c.revision === revision));

describe('checks managed through the API', () => {
  it('pushes each change to the agent as its retained config', async () => {
    const { client, configs } = await listen();
    const created = await t.api.post<{ check: { id: string; managed: boolean } }>(
      `/api/v1/agents/${agentId}/checks`,
      {
        key: 'gateway',
        type: 'icmp',
        target: '192.0.2.1',
        intervalSeconds: 30,
        options: { count: 20 },
      },
    );
    expect(created.check.managed).toBe(true);
    expect((await latest(configs, 1)).checks).toEqual([
      {
        id: 'gateway',
        type: 'icmp',
        target: '192.0.2.1',
        intervalSeconds: 30,
        options: { count: 20 },
      },
    ]);

    await t.api.post(`/api/v1/agents/${agentId}/checks`, {
      key: 'pbx',
      type: 'tcp',
      target: '192.0.2.5:5060',
    });
    expect((await latest(configs, 2)).checks.map((c) => c.id)).toEqual(['gateway', 'pbx']);

    const changed = await t.api.request('PATCH', `/api/v1/checks/${created.check.id}`, {
      target: '192.0.2.2',
    });
    expect(changed.status).toBe(200);
    expect((await latest(configs, 3)).checks[0]).toMatchObject({
      id: 'gateway',
      target: '192.0.2.2',
      intervalSeconds: 30,
    });

    const removed = await t.api.request('DELETE', `/api/v1/checks/${created.check.id}`);
    expect(removed.status).toBe(204);
    expect((await latest(configs, 4)).checks.map((c) => c.id)).toEqual(['pbx']);
    client.end(true);

    // A client that connects later gets the newest config, retained.
    const late = await listen();
    expect((await latest(late.configs, 4)).checks.map((c) => c.id)).toEqual(['pbx']);
    late.client.end(true);
  });

  it('refuses a bad check with the field named', async () => {
    const unknown = await t.api.request('POST', `/api/v1/agents/${agentId}/checks`, {
      key: 'x',
      type: 'carrier-pigeon',
      target: 'a',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'type' } },
    });
    const badKey = await t.api.request('POST', `/api/v1/agents/${agentId}/checks`, {
      key: 'Bad Key',
      type: 'tcp',
      target: 'a:1',
    });
    expect(badKey.body).toMatchObject({ error: { details: { field: 'key' } } });
    const duplicate = await t.api.request('POST', `/api/v1/agents/${agentId}/checks`, {
      key: 'pbx',
      type: 'tcp',
      target: 'a:1',
    });
    expect(duplicate.status).toBe(409);
    const missing = await t.api.request(
      'POST',
      `/api/v1/agents/00000000-0000-0000-0000-000000000000/checks`,
      {
        key: 'y',
        type: 'tcp',
        target: 'a:1',
      },
    );
    expect(missing.status).toBe(404);
  });

  it('records what the agent reports about its config', async () => {
    const client = await connectAgent(t.mqttUrl, credentials);
    const status = (config: object) =>
      publish(
        client,
        topics.status(address),
        JSON.stringify({
          v: 1,
          agent: 'srv-01',
          state: 'online',
          at: new Date().toISOString(),
          config,
        }),
      );
    await status({
      revision: 3,
      error: { revision: 4, message: 'checks[0].options.count: too big' },
    });
    const { config } = await t.api.get<{ config: unknown; report: unknown }>(
      `/api/v1/agents/${agentId}/config`,
    );
    expect(config).toMatchObject({ revision: 4 });
    const { items } = await t.api.get<{ items: { id: string; config: unknown }[] }>(
      '/api/v1/agents',
    );
    expect(items.find((a) => a.id === agentId)?.config).toEqual({
      revision: 4,
      appliedRevision: 3,
      error: 'checks[0].options.count: too big',
    });
    await status({ revision: 4 });
    const after = await t.api.get<{ items: { id: string; config: unknown }[] }>('/api/v1/agents');
    expect(after.items.find((a) => a.id === agentId)?.config).toEqual({
      revision: 4,
      appliedRevision: 4,
      error: null,
    });
    client.end(true);
  });
});
