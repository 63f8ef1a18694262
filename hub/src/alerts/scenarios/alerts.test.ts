import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import {
  agentStatusPayload,
  batch,
  icmpResult,
  tcpResult,
} from '../../../../test/support/batches.js';
import { waitFor } from '../../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * The alert scenarios, driven through MQTT against a real hub and its database:
 * each agent publishes result batches as the real agent would, and the tests read the tickets
 * the hub made. Every scenario has its own branch and agent.
 */

let t: TestHub;
let db: Database;
const clients: MqttClient[] = [];

beforeAll(async () => {
  t = await startTestHub({
    BW_ALERT_AGENT_OFFLINE_GRACE_SECONDS: '0',
    BW_ALERT_SWEEP_SECONDS: '1',
  });
  db = connectDatabase(t.databaseUrl);
});
afterAll(async () => {
  for (const c of clients) c.end(true);
  await db?.destroy();
  await t?.stop();
});

interface TicketRow {
  id: string;
  number: string;
  state: string;
  priority: string;
  priority_reason: string | null;
  repeat_count: number;
  check_id: string | null;
  alert_kind: string | null;
  subject: string;
}

/** One branch with one agent that publishes batches; rounds are 100 ms apart, just past. */
class BranchAgent {
  seq = 0;
  clock = Date.now() - 5_000;
  client!: MqttClient;
  agentId = '';
  branchId = '';
  credentials = { username: '', password: '' };

  constructor(readonly branch: string) {}

  get address() {
    return { tenant: 'default', branch: this.branch, agent: 'srv' };
  }

  async enroll(): Promise<this> {
    const issued = await t.api.createAgent(this.branch, 'srv');
    this.credentials = issued.credentials;
    this.agentId = issued.agent.id;
    this.branchId = (await db('agents').where({ id: this.agentId }).first()).branch_id;
    this.client = await connectAgent(t.mqttUrl, this.credentials);
    clients.push(this.client);
    return this;
  }

  /** The time of the next round. */
  tick(): Date {
    this.clock += 100;
    return new Date(this.clock);
  }

  async send(results: ProbeResult[], replayed = false): Promise<void> {
    this.seq += 1;
    await publish(
      this.client,
      topics.results(this.address),
      JSON.stringify(batch('srv', this.seq, results, replayed)),
    );
  }

  /** One round of each check, all at the same time; `ok(key)` says which are good. */
  async round(keys: string[], ok: (key: string) => boolean): Promise<void> {
    const at = this.tick();
    await this.send(keys.map((k) => tcpResult(k, at, ok(k))));
  }

  async checkId(key: string): Promise<string> {
    return (await db('checks').where({ agent_id: this.agentId, key }).first()).id;
  }

  tickets(): Promise<TicketRow[]> {
    return db('tickets').where({ branch_id: this.branchId }).orderBy('number');
  }
}

const eventsOf = (ticketId: string) =>
  db('ticket_events').where({ ticket_id: ticketId }).orderBy('id') as Promise<
    {
      kind: string;
      body: string | null;
      field: string | null;
      data: { text?: Record<string, unknown> & { from?: string } } | null;
    }[]
  >;

describe('alert scenarios', () => {
  it('a flapping link keeps one ticket that says so, and resolves once calm', async () => {
    const a = await new BranchAgent('flap').enroll();
    await a.send([icmpResult('link', a.tick(), 0)]);
    const linkId = await a.checkId('link');
    // One bad round opens, one good round closes: every round can be a state change.
    const put = await t.api.request('PUT', '/api/v1/alerts/rules', {
      scope: 'check',
      scopeId: linkId,
      failRounds: 1,
      recoverRounds: 1,
      flapChanges: 2,
      flapQuietSeconds: 8,
    });
    expect(put.status).toBe(200);

    await a.send([icmpResult('link', a.tick(), 50)]); // change 2: failing, by threshold
    const [ticket] = await a.tickets();
    expect(ticket).toMatchObject({ state: 'open', check_id: linkId });
    const opened = (await eventsOf(ticket!.id))[0]!;
    expect(opened.body).toContain('loss 50 % > 5 %');
    expect(opened.body).toContain(`/branches/${a.branchId}?check=${linkId}&from=`);

    await a.send([icmpResult('link', a.tick(), 0)]); // change 3: more than 2 → flapping
    for (const loss of [60, 0, 70, 0]) await a.send([icmpResult('link', a.tick(), loss)]);

    const flapping = await db('checks').where({ id: linkId }).first();
    expect(flapping.flapping_since).not.toBeNull();
    const whileFlapping = await a.tickets();
    expect(whileFlapping.map((x) => [x.id, x.state])).toEqual([[ticket!.id, 'open']]);
    const notes = (await eventsOf(ticket!.id)).map((e) => e.body ?? '');
    expect(notes.filter((n) => n.startsWith('Flapping: 3 state changes'))).toHaveLength(1);

    // Calm for the quiet period while ok: the recovery note, then resolved.
    const resolved = await waitFor(
      'the flapping ticket to resolve once calm',
      async () => {
        const row = await db('tickets').where({ id: ticket!.id }).first();
        return row.state === 'resolved' ? row : undefined;
      },
      30_000,
      250,
    );
    expect(resolved.state).toBe('resolved');
    const after = (await eventsOf(ticket!.id)).map((e) => e.kind + ':' + (e.body ?? ''));
    expect(after.some((e) => e.startsWith('note:No longer flapping'))).toBe(true);
    expect(after.some((e) => e.startsWith('recovered:Recovered at'))).toBe(true);
    expect((await db('checks').where({ id: linkId }).first()).flapping_since).toBeNull();
    expect(await a.tickets()).toHaveLength(1);
  });

  it('a branch WAN outage with 20 checks behind it makes exactly one ticket', async () => {
    const a = await new BranchAgent('wan-out').enroll();
    const cams = Array.from({ length: 20 }, (_, i) => `cam-${String(i + 1).padStart(2, '0')}`);
    const all = ['wan', ...cams];
    await a.round(all, () => true);
    const wanId = await a.checkId('wan');
    const role = await t.api.request('PUT', `/api/v1/alerts/checks/${wanId}/role`, {
      role: 'wan',
    });
    expect(role.status).toBe(204);

    for (let i = 0; i < 3; i++) await a.round(all, () => false);
    const tickets = await a.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ check_id: wanId, state: 'open', priority: 'high' });
    expect(tickets[0]!.priority_reason).toContain('impact 20 suppressed +2');
    const children = await db('incident_children').where({ parent_ticket_id: tickets[0]!.id });
    expect(children).toHaveLength(20);
    const notes = (await eventsOf(tickets[0]!.id)).filter((e) =>
      e.body?.startsWith('Also failing behind this incident'),
    );
    expect(notes).toHaveLength(20);

    // The WAN recovers and 15 checks with it; the 5 still failing now get their own tickets.
    const stillDown = new Set(cams.slice(0, 5));
    for (let i = 0; i < 2; i++) await a.round(all, (k) => !stillDown.has(k));
    const after = await a.tickets();
    expect(after.find((x) => x.id === tickets[0]!.id)?.state).toBe('resolved');
    const own = after.filter((x) => x.id !== tickets[0]!.id);
    expect(own).toHaveLength(5);
    const keys = await db('checks')
      .whereIn(
        'id',
        own.map((x) => x.check_id!),
      )
      .pluck('key');
    expect(keys.sort()).toEqual([...stillDown].sort());
    expect(own.every((x) => x.state === 'open')).toBe(true);
  });

  it('a maintenance window lets a recovery resolve and opens no new ticket inside it', async () => {
    const a = await new BranchAgent('maint').enroll();
    const keys = ['pbx', 'printer'];
    await a.round(keys, () => true);
    for (let i = 0; i < 3; i++) await a.round(keys, (k) => k !== 'pbx');
    const [pbxTicket] = await a.tickets();
    expect(pbxTicket?.state).toBe('open');

    const created = await t.api.post<{ window: { id: string } }>('/api/v1/alerts/maintenance', {
      scope: 'branch',
      scopeId: a.branchId,
      reason: 'ISP works',
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    // The recovery inside the window still resolves the ticket opened before it.
    for (let i = 0; i < 2; i++) await a.round(keys, () => true);
    expect((await db('tickets').where({ id: pbxTicket!.id }).first()).state).toBe('resolved');

    // A new failure inside the window opens nothing (and reopens nothing).
    for (let i = 0; i < 3; i++) await a.round(keys, () => false);
    expect((await a.tickets()).map((x) => x.state)).toEqual(['resolved']);
    expect(await db('checks').where({ agent_id: a.agentId, state: 'failing' })).toHaveLength(2);

    // The window ends while both still fail: the sweep gives each its ticket.
    const del = await t.api.request('DELETE', `/api/v1/alerts/maintenance/${created.window.id}`);
    expect(del.status).toBe(204);
    const active = await waitFor('tickets once the window is gone', async () => {
      const rows = (await a.tickets()).filter((x) => x.state === 'open');
      return rows.length === 2 ? rows : undefined;
    });
    // pbx repeats inside the reopen window: its old ticket is reopened, not a new one.
    expect(active.map((x) => x.id)).toContain(pbxTicket!.id);
    expect(await a.tickets()).toHaveLength(2);
  });

  it('a recovery after a person commented adds the note but waits for the person', async () => {
    const a = await new BranchAgent('person').enroll();
    await a.send([icmpResult('uplink', a.tick(), 0)]);
    for (const [loss, median] of [
      [100, 0],
      [40, 180],
      [100, 0],
    ] as const) {
      await a.send([icmpResult('uplink', a.tick(), loss, median)]);
    }
    const [ticket] = await a.tickets();
    expect(ticket?.state).toBe('open');
    const admin = await db('users').where({ username: 'admin' }).first();
    await db('ticket_events').insert({
      ticket_id: ticket!.id,
      kind: 'note',
      body: 'Called the ISP, waiting for their engineer.',
      author_id: admin.id,
    });

    for (let i = 0; i < 2; i++) await a.send([icmpResult('uplink', a.tick(), 0, 25)]);
    const row = await db('tickets').where({ id: ticket!.id }).first();
    expect(row.state).toBe('open');
    const recovered = (await eventsOf(ticket!.id)).find((e) => e.kind === 'recovered');
    expect(recovered?.body).toMatch(/after \d+ s of downtime/);
    expect(recovered?.body).toContain('Worst during the outage: loss 100%, median RTT 180 ms');
    expect(recovered?.body).toContain(`/branches/${a.branchId}?check=`);
  });

  it('a TCP recovery takes no "worst" value from the good rounds that ended the outage', async () => {
    const a = await new BranchAgent('tcp-worst').enroll();
    await a.send([tcpResult('erp', a.tick(), true)]);
    for (let i = 0; i < 3; i++) await a.send([tcpResult('erp', a.tick(), false)]);
    const [ticket] = await a.tickets();
    // Slow but good: the rounds that end the outage connect in 250 ms.
    for (let i = 0; i < 2; i++) {
      const slow = tcpResult('erp', a.tick(), true);
      Object.assign(slow.fields, { connect: 250 });
      await a.send([slow]);
    }
    const recovered = (await eventsOf(ticket!.id)).find((e) => e.kind === 'recovered');
    expect(recovered?.body).toMatch(/^Recovered at .+ after \d+ s of downtime\./);
    // The failed rounds measured no connect time: there is no worst value to tell.
    expect(recovered?.body).not.toContain('Worst during the outage');
  });

  it('a spool replayed after an outage feeds the charts but opens no ticket', async () => {
    const a = await new BranchAgent('spool').enroll();
    await a.send([tcpResult('camera', a.tick(), true)]);
    // The outage as the agent spooled it: many failed rounds, delivered late.
    const spooled = Array.from({ length: 10 }, () => tcpResult('camera', a.tick(), false));
    await a.send(spooled, true);
    await a.send([tcpResult('camera', a.tick(), true)]);

    expect(await a.tickets()).toEqual([]);
    const cameraId = await a.checkId('camera');
    const stored = await db('check_results')
      .where({ check_id: cameraId, replayed: true })
      .count({ n: '*' });
    expect(Number(stored[0]!.n)).toBe(10);
    expect((await db('checks').where({ id: cameraId }).first()).state).toBe('ok');
  });

  it('a repeat inside the reopen window reopens the same ticket', async () => {
    const a = await new BranchAgent('repeat').enroll();
    await a.round(['pos'], () => true);
    for (let i = 0; i < 3; i++) await a.round(['pos'], () => false);
    for (let i = 0; i < 2; i++) await a.round(['pos'], () => true);
    const [first] = await a.tickets();
    expect(first?.state).toBe('resolved');

    for (let i = 0; i < 3; i++) await a.round(['pos'], () => false);
    const tickets = await a.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ id: first!.id, state: 'open', repeat_count: 1 });
    expect(tickets[0]!.priority_reason).toContain('repeats 1 +1');
    const reopen = (await eventsOf(first!.id)).find(
      (e) => e.field === 'state' && e.body?.startsWith('Failing again since'),
    );
    expect(reopen?.data?.text).toMatchObject({
      kind: 'check_failing',
      reopened: true,
      check: { key: 'pos' },
    });
  });

  it('an agent lost without DISCONNECT makes one "agent offline" ticket for its checks', async () => {
    const a = new BranchAgent('lastwill');
    const issued = await t.api.createAgent(a.branch, 'srv');
    a.credentials = issued.credentials;
    a.agentId = issued.agent.id;
    a.branchId = (await db('agents').where({ id: a.agentId }).first()).branch_id;
    // As the real agent connects: its last will marks it offline.
    a.client = await new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect(t.mqttUrl, {
        clientId: a.credentials.username,
        ...a.credentials,
        protocolVersion: 4,
        reconnectPeriod: 0,
        will: {
          topic: topics.status(a.address),
          payload: Buffer.from(agentStatusPayload('srv', 'offline')),
          qos: 1,
          retain: true,
        },
      });
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });
    clients.push(a.client);
    await publish(a.client, topics.status(a.address), agentStatusPayload('srv', 'online'));
    const keys = ['phone-1', 'phone-2', 'phone-3', 'phone-4', 'phone-5'];
    await a.round(keys, () => true);
    // Two bad rounds: one short of failing when the connection dies.
    for (let i = 0; i < 2; i++) await a.round(keys, () => false);
    const dropped = Date.now();
    a.client.stream.destroy();

    const offline = await waitFor('the agent offline ticket', async () => {
      const rows = await a.tickets();
      return rows.length > 0 ? rows : undefined;
    });
    expect(offline).toHaveLength(1);
    expect(offline[0]).toMatchObject({ alert_kind: 'agent', check_id: null, state: 'open' });
    // The agent has no name but its code name: the subject names the branch only.
    const branch = await db('branches').where({ id: a.branchId }).first();
    expect(offline[0]!.subject).toBe(`${branch.name} unreachable: its agent is offline`);

    // Back before it says "online": the spool's live tail shows its checks failing. They
    // attach to the agent's incident instead of opening five tickets.
    a.client = await connectAgent(t.mqttUrl, a.credentials);
    clients.push(a.client);
    await a.round(keys, () => false);
    expect(await a.tickets()).toHaveLength(1);
    expect(await db('incident_children').where({ parent_ticket_id: offline[0]!.id })).toHaveLength(
      5,
    );

    await publish(a.client, topics.status(a.address), agentStatusPayload('srv', 'online'));
    const record = await waitFor('the unreachable record', async () =>
      (await eventsOf(offline[0]!.id)).find((x) => x.kind === 'recovered' && x.body),
    );
    // Times as a person reads them, in the branch's zone (UTC here), named.
    expect(record.body).toMatch(
      /^Branch unreachable from \w{3} \d+, \d{4}, \d+:\d{2}\s[AP]M \(UTC\) to .+ \(UTC\) \(\d+ s\): the agent srv is back online\.$/,
    );
    expect(record.data?.text).toMatchObject({ kind: 'branch_reachable', agent: 'srv' });
    const from = Date.parse(record.data!.text!.from!);
    expect(Math.abs(from - dropped)).toBeLessThan(10_000);
    const outages = await db('agent_outages').where({ agent_id: a.agentId });
    expect(outages).toHaveLength(1);
    expect(outages[0].online_at).not.toBeNull();

    // The agent's ticket resolves; its checks, still failing, now stand on their own.
    const after = await waitFor('the checks to get their own tickets', async () => {
      const rows = await a.tickets();
      return rows.length === 6 ? rows : undefined;
    });
    expect(after.find((x) => x.id === offline[0]!.id)?.state).toBe('resolved');
    expect(after.filter((x) => x.alert_kind === 'check' && x.state === 'open')).toHaveLength(5);
  });
});
