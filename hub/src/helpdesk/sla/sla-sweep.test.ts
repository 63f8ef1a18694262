import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { algeriaWorkingWeek, iranWorkingWeek } from '@branchwatch/sla';
import { loadConfig } from '../../config/config.js';
import { connectDatabase, type Database } from '../../db/database.js';
import { EventBus } from '../../core/events.js';
import { createLogger } from '../../core/logger.js';
import { BranchRepository } from '../../fleet/branch.repository.js';
import { TicketRepository } from '../ticket.repository.js';
import { createTestDatabase } from '../../../../test/support/database.js';
import { createHelpdesk } from '../helpdesk.js';

// The hub's SLA wiring on a real PostgreSQL: ticket_events → @branchwatch/sla clocks → the
// sweep's warnings and escalations, recorded once each. Times are chosen, not waited for.
let db: Database;
let dataDir: string;
let helpdesk: ReturnType<typeof createHelpdesk>;
let tickets: TicketRepository;
let tenantId: string;
let branchId: string;
const users: Record<string, string> = {};

const MIN = 60_000;
const HOUR = 60 * MIN;

beforeAll(async () => {
  const url = await createTestDatabase();
  db = connectDatabase(url, { min: 0, max: 4 });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-sla-'));
  const logger = createLogger('silent');
  tickets = new TicketRepository(db);
  helpdesk = createHelpdesk({
    db,
    tickets,
    branches: new BranchRepository(db),
    events: new EventBus(logger),
    config: loadConfig({ DATABASE_URL: url, BW_DATA_DIR: dataDir }),
    logger,
  });
  [{ id: tenantId }] = await db('tenants').insert({ slug: 'acme', name: 'Acme' }).returning('id');
  [{ id: branchId }] = await db('branches')
    .insert({ tenant_id: tenantId, slug: 'thr-1', name: 'Tehran 1' })
    .returning('id');
  for (const name of ['agent', 'lead', 'second']) {
    const [row] = await db('users')
      .insert({ username: name, role: 'support_agent', tenant_id: tenantId, password_hash: 'x' })
      .returning('id');
    users[name] = row.id;
  }
});
afterAll(async () => {
  await db?.destroy();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function policyOn(
  calendar: { name: string; zone: string; week: object; holidays?: object[] },
  policy: Record<string, unknown>,
) {
  const cal = await helpdesk.services.sla.createCalendar({
    tenantId,
    name: calendar.name,
    spec: { zone: calendar.zone, week: calendar.week, holidays: calendar.holidays ?? [] } as never,
  });
  return helpdesk.services.sla.createPolicy({
    tenantId,
    position: 0,
    firstResponseMs: null,
    resolutionMs: null,
    warningShare: 0.8,
    escalations: [],
    conditions: {},
    calendarId: cal.id,
    ...policy,
  } as never);
}

const slaEvents = async (ticketId: string) =>
  (await tickets.events(ticketId))
    .filter((e) => e.kind.startsWith('sla_'))
    .map((e) => [e.kind, e.slaKey?.replace(/:[0-9a-f-]{36}$/, ''), e.at.toISOString()]);

describe('SLA sweep, Tehran (Friday weekend), the docs/sla.md worked example', () => {
  // Thursday 2026-04-09 11:30 in Tehran (UTC+03:30) is 08:00Z; Saturday 12:10 is 08:40Z.
  const thu = (hhmm: string) => tehran('2026-04-09', hhmm);
  const sat = (hhmm: string) => tehran('2026-04-11', hhmm);
  let ticketId: string;

  beforeAll(async () => {
    const { group } = {
      group: await helpdesk.services.groups.create(tenantId, {
        name: 'NOC',
        assignment: 'round_robin',
        leadId: users.lead!,
      }),
    };
    await helpdesk.services.groups.setMember(group.id, tenantId, users.agent!, false);
    await helpdesk.services.groups.setMember(group.id, tenantId, users.lead!, false);
    await policyOn(
      { name: 'Tehran office', zone: 'Asia/Tehran', week: iranWorkingWeek() },
      {
        name: 'high',
        conditions: { priority: ['high', 'urgent'], category: ['ir'] },
        firstResponseMs: 30 * MIN,
        resolutionMs: 4 * HOUR,
        escalations: [
          { name: 'notify', offsetMs: -30 * MIN, action: 'notify', clocks: ['resolution'] },
          { name: 'reassign', offsetMs: 0, action: 'reassign', clocks: ['resolution'] },
          { name: 'raise', offsetMs: 60 * MIN, action: 'raise_priority', clocks: ['resolution'] },
        ],
      },
    );
    const ticket = await tickets.openForPerson({
      tenantId,
      branchId,
      subject: 'Link down',
      body: 'x',
      priority: 'high',
      category: 'ir',
      createdBy: users.agent!,
      at: thu('11:30'),
    });
    ticketId = ticket.id;
    await tickets.change(
      ticketId,
      { groupId: group.id, assigneeId: users.agent! },
      [],
      thu('11:30'),
    );
    await tickets.record(
      ticketId,
      [{ kind: 'reply', body: 'on it', authorId: users.agent!, at: thu('11:45') }],
      thu('11:45'),
    );
    const state = (from: string, to: string, at: Date) =>
      tickets.change(
        ticketId,
        { state: to as never },
        [
          {
            kind: 'change',
            field: 'state',
            oldValue: from,
            newValue: to,
            authorId: users.agent!,
            at,
          },
        ],
        at,
      );
    await state('open', 'waiting', sat('09:00'));
    await state('waiting', 'in_progress', sat('10:00'));
  });

  it('computes the clocks from the ticket events: paused an hour, deadline Saturday 13:30', async () => {
    const ticket = (await tickets.findById(ticketId))!;
    const clocks = await helpdesk.services.sla.clocksOf(
      ticket,
      await tickets.events(ticketId),
      sat('12:10'),
    );
    expect(clocks.firstResponse).toMatchObject({ status: 'met', elapsedMs: 15 * MIN });
    expect(clocks.resolution).toMatchObject({
      status: 'running',
      elapsedMs: 3.5 * HOUR,
      remainingMs: 30 * MIN,
      pausedMs: HOUR,
      deadline: sat('13:30'),
      warningAt: sat('11:42'),
    });
  });

  it('records the warning and the notify escalation once, however often it sweeps', async () => {
    expect(await helpdesk.sweep.sweep(sat('12:10'))).toEqual({
      tickets: 1,
      warnings: 1,
      escalations: 1,
    });
    expect(await helpdesk.sweep.sweep(sat('12:10'))).toEqual({
      tickets: 1,
      warnings: 0,
      escalations: 0,
    });
    expect(await slaEvents(ticketId)).toEqual([
      ['sla_warning', 'resolution:warning', sat('11:42').toISOString()],
      ['sla_escalation', 'resolution:escalation:notify', sat('12:00').toISOString()],
    ]);
  });

  it('reassigns to the group lead at the deadline and raises the priority an hour later', async () => {
    await helpdesk.sweep.sweep(sat('13:31'));
    expect((await tickets.findById(ticketId))!.assigneeId).toBe(users.lead);
    await helpdesk.sweep.sweep(sat('14:31'));
    await helpdesk.sweep.sweep(sat('14:40'));
    const ticket = (await tickets.findById(ticketId))!;
    expect(ticket.priority).toBe('urgent');
    const changes = (await tickets.events(ticketId))
      .filter((e) => e.kind === 'change' && e.authorId === null)
      .map((e) => [e.field, e.oldValue, e.newValue]);
    expect(changes).toEqual([
      ['assignee', users.agent, users.lead],
      ['priority', 'high', 'urgent'],
    ]);
    expect((await slaEvents(ticketId)).map((e) => e[1])).toEqual([
      'resolution:warning',
      'resolution:escalation:notify',
      'resolution:escalation:reassign',
      'resolution:escalation:raise',
    ]);
  });

  it('runs once across processes: a sweep finding the lock taken does nothing', async () => {
    const [a, b] = await Promise.all([
      helpdesk.sweep.sweep(sat('15:00')),
      helpdesk.sweep.sweep(sat('15:00')),
    ]);
    expect([a, b].filter((r) => r === undefined)).toHaveLength(1);
  });
});

describe('Algiers (Friday–Saturday weekend), a holiday and a policy change', () => {
  // Algiers is UTC+01:00 all year.
  const alg = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+01:00`);
  let ticketId: string;

  beforeAll(async () => {
    const calendar = {
      name: 'Algiers office',
      zone: 'Africa/Algiers',
      week: algeriaWorkingWeek(),
      holidays: [{ date: '2026-05-03', name: 'bridge day' }],
    };
    await policyOn(calendar, {
      name: 'urgent dz',
      position: 0,
      conditions: { category: ['dz'], priority: ['urgent'] },
      resolutionMs: HOUR,
      escalations: [{ name: 'breach', offsetMs: 0, action: 'notify' }],
    });
    await policyOn(
      { ...calendar, name: 'Algiers office 2' },
      { name: 'normal dz', position: 1, conditions: { category: ['dz'] }, resolutionMs: 2 * HOUR },
    );
    const ticket = await tickets.openForPerson({
      tenantId,
      branchId,
      subject: 'Oran VPN',
      body: 'x',
      priority: 'normal',
      category: 'dz',
      createdBy: users.agent!,
      at: alg('2026-04-30', '16:00'), // Thursday, half an hour before closing
    });
    ticketId = ticket.id;
  });

  it('skips the weekend and the holiday, and moves the deadline when the priority changes', async () => {
    const clocksAt = async (now: Date) =>
      (
        await helpdesk.services.sla.clocksOf(
          (await tickets.findById(ticketId))!,
          await tickets.events(ticketId),
          now,
        )
      ).resolution!;
    // 30 min on Thursday; Friday, Saturday and the Sunday holiday closed; 1.5 h on Monday.
    expect((await clocksAt(alg('2026-05-04', '08:00'))).deadline).toEqual(
      alg('2026-05-04', '09:30'),
    );
    const at = alg('2026-05-04', '08:10');
    await tickets.change(
      ticketId,
      { priority: 'urgent' },
      [
        {
          kind: 'change',
          field: 'priority',
          oldValue: 'normal',
          newValue: 'urgent',
          authorId: users.agent!,
          at,
        },
      ],
      at,
    );
    // Under the 1 h policy 50 min have passed (30 Thursday + 20 Monday): deadline 08:30.
    const clock = await clocksAt(alg('2026-05-04', '08:20'));
    expect(clock).toMatchObject({
      elapsedMs: 50 * MIN,
      deadline: alg('2026-05-04', '08:30'),
      status: 'running',
    });
    expect(await helpdesk.sweep.sweep(alg('2026-05-04', '08:31'))).toMatchObject({
      escalations: 1,
    });
    expect((await slaEvents(ticketId)).filter((e) => e[0] === 'sla_escalation')).toEqual([
      ['sla_escalation', 'resolution:escalation:breach', alg('2026-05-04', '08:30').toISOString()],
    ]);
  });
});

function tehran(date: string, hhmm: string): Date {
  return new Date(`${date}T${hhmm}:00+03:30`);
}

describe('an escalation reassigns only within the ticket’s tenant', () => {
  it('passes over a lead or member of another tenant (as older hubs let an admin set them)', async () => {
    const [{ id: otherTenant }] = await db('tenants')
      .insert({ slug: 'other', name: 'Other' })
      .returning('id');
    const [{ id: outsider }] = await db('users')
      .insert({
        username: 'outsider',
        role: 'support_agent',
        tenant_id: otherTenant,
        password_hash: 'x',
      })
      .returning('id');
    const [{ id: groupId }] = await db('support_groups')
      .insert({ tenant_id: tenantId, name: 'Mixed', assignment: 'round_robin', lead_id: outsider })
      .returning('id');
    await db('group_members').insert([
      { group_id: groupId, user_id: outsider, away: false },
      { group_id: groupId, user_id: users.second!, away: false },
      { group_id: groupId, user_id: users.agent!, away: false },
    ]);
    await policyOn(
      { name: 'Tehran mixed', zone: 'Asia/Tehran', week: iranWorkingWeek() },
      {
        name: 'mixed',
        position: -1,
        conditions: { category: ['mixed'] },
        resolutionMs: HOUR,
        escalations: [{ name: 'hand on', offsetMs: 0, action: 'reassign', clocks: ['resolution'] }],
      },
    );
    const opened = tehran('2026-06-06', '09:00');
    const ticket = await tickets.openForPerson({
      tenantId,
      branchId,
      subject: 'Mixed group',
      body: 'x',
      priority: 'low',
      category: 'mixed',
      createdBy: users.agent!,
      at: opened,
    });
    await tickets.change(ticket.id, { groupId, assigneeId: users.agent! }, [], opened);
    await helpdesk.sweep.sweep(tehran('2026-06-06', '12:00'));
    const after = (await tickets.findById(ticket.id))!;
    expect(after.assigneeId).not.toBe(outsider);
    expect(after.assigneeId).toBe(users.second);
    // Assigning by the group's turn passes over the outsider too.
    for (let i = 0; i < 3; i++)
      expect(await helpdesk.services.groups.nextAssignee(groupId, tenantId)).not.toBe(outsider);
  });
});
