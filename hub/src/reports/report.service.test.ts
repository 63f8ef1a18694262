import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingWeek } from '@branchwatch/sla';
import { connectDatabase, type Database } from '../db/database.js';
import { SlaRepository } from '../helpdesk/sla/sla.repository.js';
import { SlaService } from '../helpdesk/sla/sla.service.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { ReportRepository } from './report.repository.js';
import { ReportService } from './report.service.js';

// MTTA, MTTR and SLA compliance on a real PostgreSQL, with numbers worked out by hand.
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (hhmm: string, day = '2026-03-02') => new Date(`${day}T${hhmm}:00Z`);
const period = { from: at('00:00'), to: at('00:00', '2026-03-03') };
const NOW = at('18:00');

let db: Database;
let reports: ReportService;
let acme: string;
const ids: Record<string, string> = {};

async function ticket(values: {
  tenant?: string;
  branch: string;
  category: string | null;
  assignee: string | null;
  opened: Date;
  resolved?: Date;
  events: { at: Date; kind: string; author: string | null; field?: string; value?: string }[];
}) {
  const [{ id }] = await db('tickets')
    .insert({
      tenant_id: values.tenant ?? acme,
      subject: 'worked example',
      state: values.resolved ? 'resolved' : 'open',
      priority: 'normal',
      source: 'person',
      branch_id: ids[values.branch],
      category: values.category,
      assignee_id: values.assignee && ids[values.assignee],
      opened_at: values.opened,
      resolved_at: values.resolved ?? null,
    })
    .returning('id');
  const events = [
    ...values.events,
    ...(values.resolved
      ? [{ at: values.resolved, kind: 'change', author: 'ali', field: 'state', value: 'resolved' }]
      : []),
  ];
  for (const e of events) {
    await db('ticket_events').insert({
      ticket_id: id,
      at: e.at,
      kind: e.kind,
      body: e.kind === 'reply' ? 'on it' : null,
      author_id: e.author && ids[e.author],
      field: e.field ?? null,
      new_value: e.field === 'assignee' ? ids[e.value!] : (e.value ?? null),
    });
  }
}

beforeAll(async () => {
  db = connectDatabase(await createTestDatabase(), { min: 0, max: 2 });
  [{ id: acme }] = await db('tenants').insert({ slug: 'acme', name: 'Acme' }).returning('id');
  const [{ id: other }] = await db('tenants')
    .insert({ slug: 'other', name: 'Other' })
    .returning('id');
  for (const slug of ['thr-1', 'isf-1']) {
    const [row] = await db('branches')
      .insert({ tenant_id: acme, slug, name: slug })
      .returning('id');
    ids[slug] = row.id;
  }
  for (const name of ['ali', 'bahar', 'lead']) {
    const [row] = await db('users')
      .insert({ username: name, role: 'support_agent', tenant_id: acme, password_hash: 'x' })
      .returning('id');
    ids[name] = row.id;
  }
  const sla = new SlaService(new SlaRepository(db));
  // Around the clock, so that the resolution clock is plain wall time: 4 h target.
  const calendar = await sla.createCalendar({
    tenantId: acme,
    name: '24x7',
    spec: { zone: 'UTC', week: workingWeek([], ['00:00-24:00']), holidays: [] } as never,
  });
  await sla.createPolicy({
    tenantId: acme,
    name: 'everything',
    position: 0,
    calendarId: calendar.id,
    firstResponseMs: null,
    resolutionMs: 4 * HOUR,
    warningShare: 0.8,
    escalations: [],
    conditions: {},
  } as never);
  reports = new ReportService(new ReportRepository(db), sla);

  // T1: ali replies after 10 min, resolved after 2 h: SLA met.
  await ticket({
    branch: 'thr-1',
    category: 'network',
    assignee: 'ali',
    opened: at('09:00'),
    resolved: at('11:00'),
    events: [{ at: at('09:10'), kind: 'reply', author: 'ali' }],
  });
  // T2: the lead assigns it after 30 min, resolved after 6 h: SLA breached.
  await ticket({
    branch: 'thr-1',
    category: 'network',
    assignee: 'ali',
    opened: at('10:00'),
    resolved: at('16:00'),
    events: [{ at: at('10:30'), kind: 'change', author: 'lead', field: 'assignee', value: 'ali' }],
  });
  // T3: bahar replies after 20 min, still open at 18:00 after 1 h: clock running, undecided.
  await ticket({
    branch: 'isf-1',
    category: 'power',
    assignee: 'bahar',
    opened: at('17:00'),
    events: [{ at: at('17:20'), kind: 'reply', author: 'bahar' }],
  });
  // T4: only the hub wrote (no author: not a response), open 10 h at 18:00: breached.
  await ticket({
    branch: 'isf-1',
    category: null,
    assignee: null,
    opened: at('08:00'),
    events: [{ at: at('08:05'), kind: 'reply', author: null }],
  });
  // Outside the period, and another tenant's: neither counts for acme.
  await ticket({
    branch: 'thr-1',
    category: 'network',
    assignee: 'ali',
    opened: at('23:00', '2026-03-01'),
    events: [],
  });
  await ticket({
    tenant: other,
    branch: 'thr-1',
    category: 'network',
    assignee: null,
    opened: at('09:00'),
    events: [],
  });
});
afterAll(() => db?.destroy());

const query = (groupBy: 'tenant' | 'branch' | 'group' | 'person' | 'category', tenantId = acme) =>
  reports.tickets({ tenantId, ...period, groupBy }, NOW);

describe('ticket report, worked example', () => {
  it('totals: MTTA 20 min over 3, MTTR 4 h over 2, SLA 1 met of 3 decided', async () => {
    const { total } = await query('tenant');
    expect(total).toEqual({
      key: null,
      label: 'total',
      tickets: 4,
      acknowledged: 3,
      mttaMs: 20 * MIN, // (10 + 30 + 20) / 3
      resolved: 2,
      mttrMs: 4 * HOUR, // (2 h + 6 h) / 2
      slaMet: 1,
      slaBreached: 2,
      slaCompliance: 1 / 3,
    });
  });

  it('per person (assignee)', async () => {
    const { rows } = await query('person');
    const byLabel = Object.fromEntries(rows.map((r) => [r.label ?? 'unassigned', r]));
    expect(Object.keys(byLabel).sort()).toEqual(['ali', 'bahar', 'unassigned']);
    expect(byLabel.ali).toMatchObject({
      key: ids.ali,
      tickets: 2,
      mttaMs: 20 * MIN, // (10 + 30) / 2
      mttrMs: 4 * HOUR,
      slaMet: 1,
      slaBreached: 1,
      slaCompliance: 0.5,
    });
    expect(byLabel.bahar).toMatchObject({
      tickets: 1,
      mttaMs: 20 * MIN,
      resolved: 0,
      mttrMs: null,
      slaCompliance: null,
    });
    expect(byLabel.unassigned).toMatchObject({
      key: null,
      tickets: 1,
      acknowledged: 0,
      mttaMs: null,
      slaBreached: 1,
      slaCompliance: 0,
    });
  });

  it('per branch and per category', async () => {
    const branches = (await query('branch')).rows
      .map((r) => [r.label, r.tickets, r.slaCompliance])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    // isf-1: T3 undecided, T4 breached; thr-1: T1 met, T2 breached.
    expect(branches).toEqual([
      ['isf-1', 2, 0],
      ['thr-1', 2, 0.5],
    ]);
    const categories = (await query('category')).rows.map((r) => [r.key, r.tickets, r.mttaMs]);
    expect(categories).toEqual(
      [
        ['network', 2, 20 * MIN],
        ['null', 1, null],
        ['power', 1, 20 * MIN],
      ].map(([k, n, m]) => [k === 'null' ? null : k, n, m]),
    );
  });

  it('for a platform admin (no tenant) counts every tenant', async () => {
    const { rows, total } = await query('tenant', null as never);
    expect(total.tickets).toBe(5);
    expect(rows.map((r) => [r.label, r.tickets])).toEqual([
      ['Acme', 4],
      ['Other', 1],
    ]);
  });

  it('exports the same figures as CSV, times in seconds', async () => {
    const csv = await reports.csv({ tenantId: acme, ...period, groupBy: 'person' }, NOW);
    const lines = csv.split('\r\n');
    // A byte order mark first, so Excel reads the names (Persian ones too) as UTF-8.
    expect(lines[0]).toBe(
      '\uFEFFgroup,key,label,tickets,acknowledged,mtta_seconds,resolved,mttr_seconds,sla_met,sla_breached,sla_compliance',
    );
    expect(lines).toContain(`person,${ids.ali},ali,2,2,1200,2,14400,1,1,0.5000`);
    expect(lines.at(-2)).toBe('person,,total,4,3,1200,2,14400,1,2,0.3333');
    expect(lines.at(-1)).toBe('');
  });
});
