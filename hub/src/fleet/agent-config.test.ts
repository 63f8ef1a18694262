import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_TYPES } from '@branchwatch/api';
import { PROBE_TYPES, decodeAgentConfig, topics, type AgentConfig } from '@branchwatch/contract';
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
    expect(items.find((a) => a.id === agentId)?.config).toMatchObject({
      revision: 4,
      appliedRevision: 3,
      error: 'checks[0].options.count: too big',
      refused: [],
    });
    await status({ revision: 4 });
    const after = await t.api.get<{ items: { id: string; config: unknown }[] }>('/api/v1/agents');
    expect(after.items.find((a) => a.id === agentId)?.config).toMatchObject({
      revision: 4,
      appliedRevision: 4,
      error: null,
    });
    client.end(true);
  });
});

describe('check types', () => {
  it('describes every type of the contract, with its options for forms', async () => {
    const { items, defaults } = await t.api.get<{
      defaults: object;
      items: { type: string; severity: string; options: { name: string; unit?: string }[] }[];
    }>('/api/v1/check-types');
    // The web's list (packages/api) and the contract's agree.
    expect(items.map((i) => i.type).sort()).toEqual([...PROBE_TYPES].sort());
    expect([...CHECK_TYPES].sort()).toEqual([...PROBE_TYPES].sort());
    expect(defaults).toEqual({ intervalSeconds: 60, timeoutSeconds: 10 });
    const icmp = items.find((i) => i.type === 'icmp')!;
    expect(icmp.severity).toBe('major');
    expect(icmp.options.find((o) => o.name === 'periodMs')).toMatchObject({ unit: 'ms' });
  });
});

describe('the hub judges a check by the rules the agent uses', () => {
  const add = (body: object) =>
    t.api.request('POST', `/api/v1/agents/${agentId}/checks`, { key: 'judged', ...body });
  const refusal = async (body: object) => {
    const answer = await add(body);
    expect(answer.status).toBe(400);
    const { error } = answer.body as {
      error: { code: string; message: string; details: { field: string } };
    };
    expect(error.code).toBe('BW_ERR_VALIDATION');
    return { field: error.details.field, message: error.message };
  };

  it('answers 400 naming the field, in the words the agent would use', async () => {
    expect(await refusal({ type: 'icmp', target: '999.1.1.1' })).toEqual({
      field: 'target',
      message: 'target: "999.1.1.1" is not a valid IPv4 address',
    });
    expect(await refusal({ type: 'icmp', target: 'not an ip at all' })).toEqual({
      field: 'target',
      message: 'target: "not an ip at all" is not an IP address or a host name',
    });
    expect(await refusal({ type: 'tcp', target: '192.0.2.5' })).toMatchObject({
      field: 'target',
    });
    expect(
      await refusal({ type: 'icmp', target: '192.0.2.1', options: { count: 0 } }),
    ).toMatchObject({ field: 'options.count' });
    expect(await refusal({ type: 'icmp', target: '192.0.2.1', options: { pings: 3 } })).toEqual({
      field: 'options.pings',
      message: 'options.pings: unknown key',
    });
    expect(await refusal({ type: 'icmp', target: '192.0.2.1', intervalSeconds: 0 })).toEqual({
      field: 'intervalSeconds',
      message: 'intervalSeconds: must be more than 0 seconds',
    });
    // A round of 100 pings 1 s apart cannot fit the agent's 10 s default timeout.
    expect(
      await refusal({
        type: 'icmp',
        target: '192.0.2.1',
        options: { count: 100, periodMs: 1000 },
      }),
    ).toMatchObject({ field: 'options' });
  });
});

describe('what the agent runs, from its status', () => {
  it("lists file and hub checks with the agent's word on each, and a removed check stays removed", async () => {
    const issued = await t.api.createAgent('branch-2', 'srv-02');
    const id = issued.agent.id;
    const where = { tenant: 'default', branch: 'branch-2', agent: 'srv-02' };
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    const status = (config: object) =>
      publish(
        client,
        topics.status(where),
        JSON.stringify({
          v: 1,
          agent: 'srv-02',
          state: 'online',
          at: new Date().toISOString(),
          config,
        }),
      );
    const results = (checks: { id: string; at: Date }[], seq: number) =>
      publish(
        client,
        topics.results(where),
        JSON.stringify({
          v: 1,
          agent: 'srv-02',
          seq,
          sentAt: new Date().toISOString(),
          replayed: false,
          results: checks.map((c) => ({
            check: c.id,
            type: 'tcp',
            target: '192.0.2.9:22',
            at: c.at.toISOString(),
            status: 'ok',
            fields: { connect: 1.5 },
          })),
        }),
      );
    const defaults = { intervalSeconds: 60, timeoutSeconds: 10 };
    await status({
      revision: null,
      checks: [
        { id: 'ssh', source: 'file', intervalSeconds: 30 },
        { id: 'web', source: 'file', intervalSeconds: 60 },
      ],
      defaults,
    });
    await results(
      [
        { id: 'ssh', at: new Date() },
        { id: 'web', at: new Date() },
      ],
      1,
    );
    type Listed = {
      key: string;
      agentId: string;
      id: string;
      source: string;
      replacesFile: boolean;
      agentRuns: string;
      refusal: string | null;
      effectiveIntervalSeconds: number;
    };
    const mine = async () =>
      (await t.api.get<{ items: Listed[] }>('/api/v1/checks')).items
        .filter((c) => c.agentId === id)
        .sort((a, b) => a.key.localeCompare(b.key));
    // Each check's last rounds, for the overview's heartbeat bars.
    const beats = await t.api.get<{
      items: { checkId: string; rounds: { ok: boolean }[]; uptimePercent: number }[];
    }>('/api/v1/heartbeats');
    const listedNow = await mine();
    const sshBeat = beats.items.find((b) => b.checkId === listedNow[0]!.id);
    expect(sshBeat).toMatchObject({ rounds: [{ ok: true }], uptimePercent: 100 });
    expect(await mine()).toMatchObject([
      { key: 'ssh', source: 'file', agentRuns: 'running', effectiveIntervalSeconds: 30 },
      { key: 'web', source: 'file', agentRuns: 'running', effectiveIntervalSeconds: 60 },
    ]);

    // The hub takes over "ssh" and adds "cam"; the agent refuses "cam" and runs the rest.
    await t.api.post(`/api/v1/agents/${id}/checks`, {
      key: 'ssh',
      type: 'tcp',
      target: '192.0.2.9:2222',
    });
    const cam = await t.api.post<{ check: { id: string } }>(`/api/v1/agents/${id}/checks`, {
      key: 'cam',
      type: 'tcp',
      target: '192.0.2.10:554',
    });
    expect((await mine()).map((c) => [c.key, c.agentRuns])).toEqual([
      ['cam', 'pending'],
      ['ssh', 'pending'],
      ['web', 'running'],
    ]);
    await status({
      revision: 2,
      refused: [{ id: 'cam', message: 'target: the agent cannot reach this' }],
      checks: [
        { id: 'web', source: 'file', intervalSeconds: 60 },
        { id: 'ssh', source: 'hub', intervalSeconds: 60, replacesFile: true },
      ],
      defaults,
    });
    expect(await mine()).toMatchObject([
      {
        key: 'cam',
        source: 'hub',
        agentRuns: 'refused',
        refusal: 'target: the agent cannot reach this',
      },
      {
        key: 'ssh',
        source: 'hub',
        replacesFile: true,
        agentRuns: 'running',
        effectiveIntervalSeconds: 60,
      },
      { key: 'web', source: 'file', agentRuns: 'running' },
    ]);

    // Removing "cam" removes it; a round of it still in flight does not bring it back.
    expect((await t.api.request('DELETE', `/api/v1/checks/${cam.check.id}`)).status).toBe(204);
    await results([{ id: 'cam', at: new Date() }], 2);
    expect((await mine()).map((c) => c.key)).toEqual(['ssh', 'web']);

    // Removing the hub's "ssh" gives the file's back, listed as the file's.
    const ssh = (await mine()).find((c) => c.key === 'ssh')!;
    expect((await t.api.request('DELETE', `/api/v1/checks/${ssh.id}`)).status).toBe(204);
    expect((await mine()).map((c) => [c.key, c.source])).toEqual([
      ['ssh', 'file'],
      ['web', 'file'],
    ]);

    // "web" taken out of the agent's file: the agent no longer lists it, so neither does the hub.
    await status({
      revision: 4,
      checks: [{ id: 'ssh', source: 'file', intervalSeconds: 30 }],
      defaults,
    });
    expect((await mine()).map((c) => c.key)).toEqual(['ssh']);
    client.end(true);
  });
});
