import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingWeek } from '@branchwatch/sla';
import { connectDatabase, type Database } from '../db/database.js';
import { BranchRepository } from '../fleet/branch.repository.js';
import { AvailabilityRepository } from '../helpdesk/sla/availability.repository.js';
import { AvailabilityService } from '../helpdesk/sla/availability.service.js';
import { SlaRepository } from '../helpdesk/sla/sla.repository.js';
import { SlaService } from '../helpdesk/sla/sla.service.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { DashboardService } from './dashboard.service.js';
import { ReportRepository } from './report.repository.js';
import { CSV_BOM, documentCsv, documentXlsx } from './report-export.js';
import { documentPdf } from './report-pdf.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The dashboard on a real PostgreSQL, figures worked out by hand on a 09:00–17:00 weekday
// calendar (UTC): business time, not wall time, between opening and acknowledgement.
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00Z`);
const MON = '2026-03-02';
const TUE = '2026-03-03';
const week = { from: at(MON, '00:00'), to: at('2026-03-09', '00:00') };
const NOW = at('2026-03-09', '00:00');

let db: Database;
let dashboards: DashboardService;
let acme: string;
const ids: Record<string, string> = {};

async function ticket(values: {
  source: 'alert' | 'person';
  branch: string;
  priority?: string;
  group?: string;
  assignee: string | null;
  opened: Date;
  resolved?: Date;
  events: { at: Date; kind: string; author: string | null; field?: string; value?: string }[];
}) {
  const [{ id }] = await db('tickets')
    .insert({
      tenant_id: acme,
      subject: 'worked example',
      state: values.resolved ? 'resolved' : 'open',
      priority: values.priority ?? 'normal',
      source: values.source,
      branch_id: ids[values.branch],
      group_id: values.group ? ids[values.group] : null,
      category: 'network',
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
      visibility: 'public',
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
  for (const [slug, name] of [
    ['thr-1', 'Tehran 1'],
    ['isf-1', 'اصفهان ۱'],
  ]) {
    const [row] = await db('branches').insert({ tenant_id: acme, slug, name }).returning('id');
    ids[slug!] = row.id;
  }
  for (const name of ['ali', 'lead']) {
    const [row] = await db('users')
      .insert({ username: name, role: 'support_agent', tenant_id: acme, password_hash: 'x' })
      .returning('id');
    ids[name] = row.id;
  }
  const [group] = await db('support_groups')
    .insert({ tenant_id: acme, name: 'Night shift' })
    .returning('id');
  ids.night = group.id;
  const sla = new SlaService(new SlaRepository(db));
  const calendar = await sla.createCalendar({
    tenantId: acme,
    name: 'office',
    spec: {
      zone: 'UTC',
      week: workingWeek(['sat', 'sun'], ['09:00-17:00']),
      holidays: [],
    } as never,
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
  const availability = new AvailabilityService(
    new AvailabilityRepository(db),
    new BranchRepository(db),
  );
  dashboards = new DashboardService(new ReportRepository(db), sla, availability);

  // T1, a person's: opened Monday 16:30, ali replies Tuesday 09:20 (50 business minutes,
  // 16 h 50 min of wall time), resolved Tuesday 10:30 (2 business hours): SLA met.
  await ticket({
    source: 'person',
    branch: 'thr-1',
    assignee: 'ali',
    opened: at(MON, '16:30'),
    resolved: at(TUE, '10:30'),
    events: [{ at: at(TUE, '09:20'), kind: 'reply', author: 'ali' }],
  });
  // T2, an alert's: the lead assigns it after 2 h, resolved after 6 business hours: breached.
  await ticket({
    source: 'alert',
    branch: 'thr-1',
    assignee: 'ali',
    opened: at(MON, '10:00'),
    resolved: at(MON, '16:00'),
    events: [
      { at: at(MON, '12:00'), kind: 'change', author: 'lead', field: 'assignee', value: 'ali' },
    ],
  });
  // T3, a person's, urgent, for the night shift, untouched.
  await ticket({
    source: 'person',
    branch: 'isf-1',
    priority: 'urgent',
    group: 'night',
    assignee: null,
    opened: at(TUE, '11:00'),
    events: [],
  });
});
afterAll(() => db?.destroy());

const build = (branchId: string | null = null) =>
  dashboards.build({ tenantId: acme, branchId, ...week, targetPercent: 99.5 }, NOW);

describe('dashboard, worked example', () => {
  it('counts by status, priority, agent and team', async () => {
    const { counts } = await build();
    const pairs = (rows: { key: string | null; label: string | null; tickets: number }[]) =>
      rows.map((r) => [r.label ?? r.key, r.tickets]);
    expect(pairs(counts.status)).toEqual([
      ['resolved', 2],
      ['open', 1],
    ]);
    expect(pairs(counts.priority)).toEqual([
      ['normal', 2],
      ['urgent', 1],
    ]);
    expect(pairs(counts.agent)).toEqual([
      ['ali', 2],
      [null, 1],
    ]);
    expect(pairs(counts.team)).toEqual([
      [null, 2],
      ['Night shift', 1],
    ]);
    expect(pairs(counts.category)).toEqual([['network', 3]]);
  });

  it('measures MTTA and MTTR in business time, split by who opened the ticket', async () => {
    const { times, sla } = await build();
    expect(times.person).toEqual({
      tickets: 2,
      acknowledged: 1,
      mttaMs: 50 * MIN,
      resolved: 1,
      mttrMs: 2 * HOUR,
    });
    expect(times.alert).toEqual({
      tickets: 1,
      acknowledged: 1,
      mttaMs: 2 * HOUR,
      resolved: 1,
      mttrMs: 6 * HOUR,
    });
    expect(times.all).toMatchObject({ mttaMs: 85 * MIN, mttrMs: 4 * HOUR });
    // T1 met, T2 breached; T3 opened Tuesday 11:00 passed 4 business hours on Tuesday 15:00.
    expect(sla.resolution).toEqual({ met: 1, breached: 2, compliance: 1 / 3 });
    expect(sla.firstResponse).toEqual({ met: 0, breached: 0, compliance: null });
  });

  it("reads the requesters' ratings of the period, by branch", async () => {
    // T1 and T2 of Tehran rated 5 and 4 by their requesters on Tuesday (the portal's table).
    const rated = await db('tickets').where({ branch_id: ids['thr-1'] }).select('id', 'tenant_id');
    for (const [i, t] of rated.entries()) {
      await db('ticket_ratings').insert({
        ticket_id: t.id,
        tenant_id: t.tenant_id,
        branch_id: ids['thr-1'],
        score: 5 - i,
        rated_at: at(TUE, '12:00'),
      });
    }
    try {
      expect((await build()).satisfaction).toEqual({ ratings: 2, mean: 4.5 });
      expect((await build(ids['isf-1']!)).satisfaction).toEqual({ ratings: 0, mean: null });
    } finally {
      await db('ticket_ratings').del();
    }
  });

  it('narrows to a branch, says there are no ratings, lists links', async () => {
    const d = await build(ids['isf-1']!);
    expect(d.times.all.tickets).toBe(1);
    expect(d.satisfaction).toEqual({ ratings: 0, mean: null });
    expect(d.availability).toEqual([
      {
        branchId: ids['isf-1'],
        branchName: 'اصفهان ۱',
        checkId: null,
        percent: null,
        downtimeMs: null,
        met: null,
      },
    ]);
  });
});

describe('dashboard exports', () => {
  const doc = (lang: 'en' | 'fa' | 'fr') =>
    dashboards.document(
      { tenantId: acme, branchId: null, ...week, targetPercent: 99.5 },
      lang,
      'Asia/Tehran',
      NOW,
    );

  it('CSV starts with the BOM and carries each table with its columns', async () => {
    const csv = documentCsv(await doc('fa'));
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('گزارش پشتیبانی');
    // The period in the Jalali calendar, in Tehran's time: 11 Esfand 1404, 03:30.
    expect(lines[1]).toContain('۱۱ اسفند ۱۴۰۴');
    const status = lines.indexOf('تیکت‌ها بر اساس وضعیت');
    expect(lines.slice(status + 1, status + 4)).toEqual(['نام,تیکت‌ها', 'حل شده,2', 'باز,1']);
    const times = lines.indexOf('پاسخ و حل (ساعت کاری)');
    expect(lines[times + 2]).toBe('همه,3,2,85,2,240');
    expect(csv).toContain('هنوز امتیازی نیست');
  });

  it('Excel has a sheet per table, right to left in Persian, numbers as numbers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await documentXlsx(await doc('fa'))) as never);
    const times = book.getWorksheet('پاسخ و حل (ساعت کاری)')!;
    expect(times.views[0]?.rightToLeft).toBe(true);
    expect(times.getRow(1).values).toEqual([
      undefined,
      'باز شده توسط',
      'تیکت‌ها',
      'پاسخ گرفته',
      'میانگین زمان پاسخ (دقیقه)',
      'حل شده',
      'میانگین زمان حل (دقیقه)',
    ]);
    expect(times.getRow(3).values).toEqual([undefined, 'هشدارها', 1, 1, 120, 1, 360]);
    const agents = (await documentXlsx(await doc('fr'))) as never;
    const fr = new ExcelJS.Workbook();
    await fr.xlsx.load(agents);
    const sheet = fr.getWorksheet('Tickets par agent')!;
    expect(sheet.views[0]?.rightToLeft).toBe(false);
    expect(sheet.getRow(3).values).toEqual([undefined, 'non attribué', 1]);
  });

  it('PDF holds the figures as text, Persian shaped and in reading order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-report-pdf-'));
    try {
      const file = path.join(dir, 'report.pdf');
      fs.writeFileSync(file, await documentPdf(await doc('fa')));
      // poppler's pdftotext (scripts/install-test-deps.sh) reads the text back in logical order.
      // It marks right-to-left lines with embedding controls and drops ZWNJ: read without them.
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
        /[\u200c\u200e\u200f\u202a-\u202e]/g,
        '',
      );
      expect(text).toContain('گزارش پشتیبانی');
      expect(text).toContain('اصفهان ۱');
      expect(text).toContain('هنوز امتیازی نیست');
      // The Jalali period; pdftotext's own reordering of mixed lines is not the page's, so the
      // words are checked, not their order (the pages were looked at with pdftoppm).
      expect(text).toContain('اسفند');
      expect(text).toContain('۱۴۰۴');
      expect(text).toMatch(/تیکتها\s+نام\s+۲\s+حل شده\s+۱\s+باز/);
      const en = path.join(dir, 'en.pdf');
      fs.writeFileSync(en, await documentPdf(await doc('en')));
      const english = execFileSync('pdftotext', ['-layout', en, '-'], { encoding: 'utf8' });
      expect(english).toContain('Tickets by agent');
      expect(english).toMatch(/alerts\s+1\s+1\s+120\s+1\s+360/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
