import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { connectDatabase, type Database } from '../db/database.js';
import { ApiClient } from '../../../test/support/http.js';
import { batch } from '../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';

// Automation rules through the real hub's API on its own PostgreSQL (docs/automation.md):
// scenarios move time by giving the sweep a later "now" and by moving stored events back.
let t: TestHub;
let db: Database;
let branchId: string;
let tenantId: string;

interface Ticket {
  id: string;
  number: number;
  state: string;
  priority: string;
  subject: string;
}
interface Run {
  id: number;
  ruleId: string;
  ruleName: string;
  ticketId: string | null;
  ticketSubject: string | null;
  status: string;
  facts: Record<string, unknown>;
  matched: { field: string; matched: boolean }[];
  actions: { type: string; ok: boolean; detail: Record<string, unknown>; error: string | null }[];
  error: string | null;
}
interface Simulation {
  ticketsSeen: number;
  items: {
    ticketSubject: string | null;
    status: string;
    actions: { type: string; detail: Record<string, unknown> }[];
  }[];
}

const open = async (subject: string, extra: Record<string, unknown> = {}) =>
  (
    await t.api.post<{ ticket: Ticket }>('/api/v1/tickets', {
      subject,
      body: 'Phones drop calls',
      branchId,
      priority: 'normal',
      ...extra,
    })
  ).ticket;
const ticket = async (id: string) =>
  await t.api.get<{ ticket: Ticket; tags: string[]; events: Record<string, unknown>[] }>(
    `/api/v1/tickets/${id}`,
  );
const runsOf = async (ticketId: string) =>
  (await t.api.get<{ items: Run[] }>(`/api/v1/tickets/${ticketId}/automation-runs`)).items;
const createRule = async (rule: Record<string, unknown>) =>
  (await t.api.post<{ rule: { id: string } }>('/api/v1/automation/rules', { tenantId, ...rule }))
    .rule;

/** Waits until the automation jobs of every ticket change so far have run. */
async function settled() {
  await t.hub.automation.idle();
  for (let i = 0; i < 200; i++) {
    const [row] = await db('pgboss.job')
      .where('name', 'automation-ticket')
      .whereIn('state', ['created', 'retry', 'active'])
      .count({ n: '*' });
    if (Number((row as { n: string }).n) === 0) {
      await t.hub.automation.idle();
      const [again] = await db('pgboss.job')
        .where('name', 'automation-ticket')
        .whereIn('state', ['created', 'retry', 'active'])
        .count({ n: '*' });
      if (Number((again as { n: string }).n) === 0) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('automation jobs did not settle');
}

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  const branch = await t.api.post<{ branch: { id: string; tenantId: string } }>(
    '/api/v1/branches',
    { slug: 'shiraz-1', name: 'Shiraz 1' },
  );
  branchId = branch.branch.id;
  tenantId = (await db('branches').where({ id: branchId }).first('tenant_id')).tenant_id;
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

describe('saving rules', () => {
  it('refuses a rule without actions, naming the field', async () => {
    const res = await t.api.request('POST', '/api/v1/automation/rules', {
      tenantId,
      name: 'empty',
      trigger: { type: 'ticket_created' },
      actions: [],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
    expect(JSON.stringify(res.body)).toContain('actions');
  });

  it('names a field inside a rule in one form, whoever refuses it', async () => {
    // The schema refuses an empty note; the service a calendar and a person that do not exist.
    const refusals = [
      [{ actions: [{ type: 'close' }, { type: 'add_note', body: '' }] }, 'actions[1].body'],
      [
        {
          conditions: [
            {
              field: 'business_hours',
              op: 'is',
              calendarId: '00000000-0000-4000-8000-000000000001',
            },
          ],
        },
        'conditions[0].calendarId',
      ],
      [
        {
          actions: [
            { type: 'notify', to: 'person', userId: '00000000-0000-4000-8000-000000000000' },
          ],
        },
        'actions[0].userId',
      ],
    ] as const;
    for (const [part, field] of refusals) {
      const res = await t.api.request('POST', '/api/v1/automation/rules', {
        tenantId,
        name: 'refused',
        trigger: { type: 'ticket_created' },
        actions: [{ type: 'close' }],
        ...part,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION', details: { field } } });
    }
  });

  it('refuses a telemetry rule that does not open a ticket first', async () => {
    const res = await t.api.request('POST', '/api/v1/automation/rules', {
      tenantId,
      name: 'mos',
      trigger: { type: 'telemetry', checkType: 'voice', field: 'mos', op: '<', value: 3.5 },
      actions: [{ type: 'add_tag', tag: 'voice' }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('opening a ticket');
  });

  it('records every change of a rule in the audit chain', async () => {
    const rule = await createRule({
      name: 'audited',
      enabled: false,
      trigger: { type: 'ticket_created' },
      actions: [{ type: 'add_tag', tag: 'x' }],
    });
    await t.api.request('PATCH', `/api/v1/automation/rules/${rule.id}`, { name: 'audited twice' });
    await t.api.request('DELETE', `/api/v1/automation/rules/${rule.id}`);
    const audit = await t.api.get<{ items: { action: string; target: string }[] }>('/api/v1/audit');
    const mine = audit.items.filter((e) => e.target === `automation_rule:${rule.id}`);
    expect(mine.map((e) => e.action).sort()).toEqual([
      'automation.rule_changed',
      'automation.rule_created',
      'automation.rule_deleted',
    ]);
  });
});

describe('the simulator', () => {
  // One script of events, played on tickets before the rule exists and again after it is saved.
  async function play(prefix: string) {
    const a = await open(`${prefix} urgent outage`);
    await t.api.request('PATCH', `/api/v1/tickets/${a.id}`, { priority: 'urgent' });
    const b = await open(`${prefix} quiet printer`);
    await t.api.request('PATCH', `/api/v1/tickets/${b.id}`, { category: 'hardware' });
    const c = await open(`${prefix} urgent from the start`, { priority: 'urgent' });
    await t.api.post(`/api/v1/tickets/${c.id}/replies`, {
      body: 'looking',
      visibility: 'internal',
    });
    await settled();
  }
  const draft = {
    name: 'Urgent goes to the NOC',
    trigger: { type: 'ticket_changed' },
    match: 'all',
    conditions: [
      { field: 'priority', op: 'is', value: 'urgent' },
      { field: 'state', op: 'is_not', value: 'closed' },
    ],
    actions: [
      { type: 'add_tag', tag: 'noc' },
      { type: 'set_state', state: 'in_progress' },
    ],
    maxRunsPerTicket: 5,
  };
  const summary = (subjects: (string | null)[], prefix: string) =>
    subjects.map((s) => s?.replace(`${prefix} `, '')).sort();

  it('answers what the saved rule then does on the same events', async () => {
    await play('before');
    const sim = await t.api.post<Simulation>('/api/v1/automation/simulate', {
      tenantId,
      rule: draft,
      days: 1,
    });
    const simulated = sim.items.filter((i) => i.ticketSubject?.startsWith('before'));
    expect(
      summary(
        simulated.map((i) => i.ticketSubject),
        'before',
      ),
    ).toEqual(['urgent from the start', 'urgent outage']);
    expect(simulated[0]!.actions.map((a) => a.type)).toEqual(['add_tag', 'set_state']);

    const rule = await createRule(draft);
    await play('after');
    const runs = (await t.api.get<{ items: Run[] }>(`/api/v1/automation/rules/${rule.id}/runs`))
      .items;
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    expect(
      summary(
        runs.map((r) => r.ticketSubject),
        'after',
      ),
    ).toEqual(
      summary(
        simulated.map((i) => i.ticketSubject),
        'before',
      ),
    );
    // It acted, and says why on the ticket.
    const acted = runs.find((r) => r.ticketSubject === 'after urgent outage')!;
    const detail = await ticket(acted.ticketId!);
    expect(detail.tags).toContain('noc');
    expect(detail.ticket.state).toBe('in_progress');
    expect(acted.matched.map((m) => [m.field, m.matched])).toEqual([
      ['priority', true],
      ['state', true],
    ]);
    expect(acted.facts).toMatchObject({ priority: 'urgent', state: 'open' });
    const byRule = detail.events.filter(
      (e) => (e.data as { automation?: { ruleId: string } } | null)?.automation?.ruleId === rule.id,
    );
    expect(byRule.length).toBe(2);
    // A simulation after the fact shows the same tickets of the second play.
    const again = await t.api.post<Simulation>('/api/v1/automation/simulate', {
      ruleId: rule.id,
      rule: draft,
      days: 1,
    });
    expect(
      summary(
        again.items.filter((i) => i.ticketSubject?.startsWith('after')).map((i) => i.ticketSubject),
        'after',
      ),
    ).toEqual(
      summary(
        runs.map((r) => r.ticketSubject),
        'after',
      ),
    );
    await t.api.request('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false });
  });
});

describe('loop guard', () => {
  it('stops two rules that would undo each other for ever, and says so', async () => {
    const up = await createRule({
      name: 'Ping up',
      trigger: { type: 'ticket_changed' },
      conditions: [
        { field: 'priority', op: 'is', value: 'low' },
        { field: 'subject', op: 'contains', value: 'ping-pong' },
      ],
      actions: [{ type: 'set_priority', priority: 'high' }],
      maxRunsPerTicket: 3,
    });
    const down = await createRule({
      name: 'Pong down',
      trigger: { type: 'ticket_changed' },
      conditions: [
        { field: 'priority', op: 'is', value: 'high' },
        { field: 'subject', op: 'contains', value: 'ping-pong' },
      ],
      actions: [{ type: 'set_priority', priority: 'low' }],
      maxRunsPerTicket: 3,
    });
    const loop = await open('ping-pong ticket');
    await t.api.request('PATCH', `/api/v1/tickets/${loop.id}`, { priority: 'low' });
    for (let i = 0; i < 20; i++) {
      await settled();
      if ((await runsOf(loop.id)).some((r) => r.status === 'guarded')) break;
    }
    await settled();
    const runs = await runsOf(loop.id);
    const of = (id: string, status: string) =>
      runs.filter((r) => r.ruleId === id && r.status === status).length;
    expect(of(up.id, 'ok')).toBe(3);
    expect(of(down.id, 'ok')).toBe(3);
    const guarded = runs.filter((r) => r.status === 'guarded');
    expect(guarded.length).toBeGreaterThanOrEqual(1);
    expect(guarded[0]!.error).toMatch(/loop guard.*3 times/);
    for (const id of [up.id, down.id])
      await t.api.request('PATCH', `/api/v1/automation/rules/${id}`, { enabled: false });
  });
});

describe('time rules', () => {
  it('closes a ticket resolved for 7 days (time moved, not waited)', async () => {
    const rule = await createRule({
      name: 'Close after a week',
      trigger: { type: 'resolved_for', days: 7 },
      actions: [{ type: 'add_note', body: 'Closed after 7 days resolved' }, { type: 'close' }],
    });
    const done = await open('resolved long ago');
    await t.api.request('PATCH', `/api/v1/tickets/${done.id}`, { state: 'resolved' });
    const fresh = await open('resolved just now');
    await t.api.request('PATCH', `/api/v1/tickets/${fresh.id}`, { state: 'resolved' });
    await settled();
    const now = Date.now();
    await t.hub.automation.sweep(new Date(now + 6 * 86_400_000));
    expect((await ticket(done.id)).ticket.state).toBe('resolved');
    await t.hub.automation.sweep(new Date(now + 7 * 86_400_000 + 60_000));
    expect((await ticket(done.id)).ticket.state).toBe('closed');
    // Taken twice (two hubs, a retry): it acted once.
    await t.hub.automation.sweep(new Date(now + 7 * 86_400_000 + 120_000));
    const runs = (await runsOf(done.id)).filter((r) => r.ruleId === rule.id);
    expect(runs.map((r) => [r.status, r.actions.map((a) => [a.type, a.ok])])).toEqual([
      [
        'ok',
        [
          ['add_note', true],
          ['close', true],
        ],
      ],
    ]);
    await t.api.request('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false });
  });

  it('escalates a ticket without reply after 2 business hours, across the Iranian weekend', async () => {
    const { calendar } = await t.api.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
      name: 'Tehran office',
      spec: {
        zone: 'Asia/Tehran',
        week: {
          sat: ['08:00-12:00', '13:00-17:00'],
          sun: ['08:00-12:00', '13:00-17:00'],
          mon: ['08:00-12:00', '13:00-17:00'],
          tue: ['08:00-12:00', '13:00-17:00'],
          wed: ['08:00-12:00', '13:00-17:00'],
          thu: ['08:00-12:00'],
        },
      },
    });
    const rule = await createRule({
      name: 'No reply: raise',
      trigger: { type: 'no_reply_for', businessHours: 2, calendarId: calendar.id },
      conditions: [{ field: 'subject', op: 'contains', value: 'Thursday' }],
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_note', body: 'Nobody answered for two working hours' },
      ],
    });
    const asked = await open('Thursday call from Shiraz');
    // Opened on Thursday 2026-04-09 at 11:00 in Tehran (07:30 UTC).
    await db('ticket_events')
      .where({ ticket_id: asked.id })
      .update({ at: new Date('2026-04-09T07:30:00Z') });
    // Thursday 12:00 leaves one working hour; Friday is the weekend: nothing yet on Friday.
    await t.hub.automation.sweep(new Date('2026-04-10T12:00:00Z'));
    // Saturday 08:59: still 59 minutes short.
    await t.hub.automation.sweep(new Date('2026-04-11T05:29:00Z'));
    expect((await ticket(asked.id)).ticket.priority).toBe('normal');
    // Saturday 09:00 is the second working hour's end.
    await t.hub.automation.sweep(new Date('2026-04-11T05:31:00Z'));
    const after = await ticket(asked.id);
    expect(after.ticket.priority).toBe('urgent');
    const [run] = (await runsOf(asked.id)).filter((r) => r.ruleId === rule.id);
    expect(run).toMatchObject({ status: 'ok', ruleName: 'No reply: raise' });
    expect(run!.facts.at).toBe('2026-04-11T05:30:00.000Z');
    await t.api.request('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false });
  });
});

describe('telemetry rules', () => {
  it('opens a ticket when an agent reports MOS below 3.5 through MQTT', async () => {
    const rule = await createRule({
      name: 'Poor voice',
      trigger: { type: 'telemetry', checkType: 'voice', field: 'mos', op: '<', value: 3.5 },
      actions: [
        { type: 'open_ticket', subject: 'Voice quality is poor', priority: 'high' },
        { type: 'add_tag', tag: 'voice' },
      ],
    });
    const issued = await t.api.post<{ credentials: { username: string; password: string } }>(
      '/api/v1/agents',
      { branchId, slug: 'pbx-probe' },
    );
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    const voice = (at: Date, mos: number) => ({
      check: 'pbx-voice',
      type: 'voice' as const,
      target: '127.0.0.1:5060',
      at: at.toISOString(),
      status: 'ok' as const,
      fields: {
        sent: 50,
        received: 50,
        loss: 0,
        rttMin: 20,
        rttMean: 25,
        rttMax: 40,
        jitter: 3,
        burstR: 1,
        delay: 40,
        r: 70,
        mos,
      },
    });
    // Rounds measured after the rule was saved (a rule acts on what happens after it).
    const saved = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    const address = { tenant: 'default', branch: 'shiraz-1', agent: 'pbx-probe' };
    const tenantSlug = (await db('tenants').where({ id: tenantId }).first('slug')).slug as string;
    await publish(
      client,
      topics.results({ ...address, tenant: tenantSlug }),
      JSON.stringify(
        batch('pbx-probe', 1, [
          voice(new Date(saved + 100), 4.2),
          voice(new Date(saved + 400), 3.1),
          voice(new Date(saved + 700), 3.0),
        ]),
      ),
    );
    client.end(true);
    await t.hub.automation.sweep(new Date());
    await t.hub.automation.sweep(new Date());
    const runs = (await t.api.get<{ items: Run[] }>(`/api/v1/automation/rules/${rule.id}/runs`))
      .items;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.facts).toMatchObject({ field: 'mos', value: 3.1 });
    const opened = await ticket(runs[0]!.ticketId!);
    expect(opened.ticket).toMatchObject({ subject: 'Voice quality is poor', priority: 'high' });
    expect(opened.tags).toEqual(['voice']);
    // The simulator sees the same episode.
    const sim = await t.api.post<Simulation>('/api/v1/automation/simulate', {
      tenantId,
      rule: {
        trigger: { type: 'telemetry', checkType: 'voice', field: 'mos', op: '<', value: 3.5 },
        actions: [{ type: 'open_ticket', subject: 'Voice quality is poor', priority: 'high' }],
      },
      days: 1,
    });
    expect(sim.items).toHaveLength(1);
  });
});

describe('tenants', () => {
  it("keeps another tenant's rules and runs out of sight", async () => {
    const other = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug: 'other-co',
      name: 'Other Co',
    });
    await t.api.post('/api/v1/users', {
      username: 'other-admin',
      password: 'other-password-1',
      role: 'tenant_admin',
      tenantId: other.tenant.id,
    });
    const api = new ApiClient(t.api.baseUrl);
    await api.login('other-admin', 'other-password-1');
    expect((await api.get<{ items: unknown[] }>('/api/v1/automation/rules')).items).toEqual([]);
    const mine = (await t.api.get<{ items: { id: string }[] }>('/api/v1/automation/rules')).items;
    expect(mine.length).toBeGreaterThan(0);
    const res = await api.request('GET', `/api/v1/automation/rules/${mine[0]!.id}/runs`);
    expect(res.status).toBe(404);
    const sim = await api.post<Simulation>('/api/v1/automation/simulate', {
      rule: { trigger: { type: 'ticket_changed' }, actions: [{ type: 'add_tag', tag: 'x' }] },
      days: 30,
    });
    expect(sim.items).toEqual([]);
  });
});
