import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/database.js';
import { hashPassword } from '../identity/password.js';
import { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

// What the support desk relies on, through the real hub's HTTP API (docs/tickets.md):
// requesters, optimistic locking, the queue's due clock, names in the history, the people
// a ticket can go to, ending an alert ticket whose alert still fails, canned replies and the
// tenant's ticket language.
let t: TestHub;
let db: Database;
let tenantId: string;
let branchId: string;
const people: Record<string, { id: string; api: ApiClient }> = {};

interface ApiTicket {
  id: string;
  number: number;
  state: string;
  version: number;
  requesterName: string | null;
  requesterContact: string | null;
  [field: string]: unknown;
}
interface HistoryEvent {
  kind: string;
  field?: string;
  old?: string | null;
  new?: string | null;
  oldLabel?: string | null;
  newLabel?: string | null;
  body: string | null;
  data?: Record<string, unknown>;
}

async function person(username: string, role: string, tenant: string | null = tenantId) {
  const [row] = await db('users')
    .insert({ username, role, tenant_id: tenant, password_hash: await hashPassword('pw-123456') })
    .returning('id');
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, 'pw-123456');
  people[username] = { id: row.id, api };
}

const open = async (body: Record<string, unknown>) =>
  (
    await t.api.post<{ ticket: ApiTicket }>('/api/v1/tickets', {
      branchId,
      body: 'reported by phone',
      ...body,
    })
  ).ticket;
const patch = (id: string, body: unknown, headers?: Record<string, string>) =>
  t.api.request('PATCH', `/api/v1/tickets/${id}`, body, headers);
const history = async (id: string) =>
  (await t.api.get<{ events: HistoryEvent[] }>(`/api/v1/tickets/${id}`)).events;

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  tenantId = (await db('tenants').first('id')).id;
  branchId = (
    await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'isfahan',
      name: 'Isfahan',
    })
  ).branch.id;
  await person('sara', 'support_agent');
  await person('omid', 'noc_operator');
  await person('vida', 'viewer');
});
afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

describe('requesters', () => {
  it('keeps who asked and how to reach them, records changes, and finds tickets by them', async () => {
    const ticket = await open({
      subject: 'Till printer jams',
      requesterName: 'Parisa Ahmadi',
      requesterContact: '+98 31 5555 0101',
    });
    expect(ticket).toMatchObject({
      requesterName: 'Parisa Ahmadi',
      requesterContact: '+98 31 5555 0101',
      version: 1,
    });
    const res = await patch(ticket.id, { requesterContact: '' });
    expect(res.status).toBe(200);
    expect((res.body.ticket as ApiTicket).requesterContact).toBeNull();
    const change = (await history(ticket.id)).find((e) => e.field === 'requester_contact');
    expect(change).toMatchObject({ old: '+98 31 5555 0101', new: null });

    const found = await t.api.get<{ items: ApiTicket[] }>('/api/v1/tickets?q=parisa');
    expect(found.items.map((i) => i.id)).toEqual([ticket.id]);
  });
});

describe('optimistic locking', () => {
  it('gives the version as ETag and refuses a change to a version that moved on', async () => {
    const ticket = await open({ subject: 'Two people at once' });
    const read = await t.api.request('GET', `/api/v1/tickets/${ticket.id}`);
    expect(read.headers.get('etag')).toBe('"1"');

    const first = await patch(ticket.id, { priority: 'high' }, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');

    const second = await patch(ticket.id, { state: 'in_progress' }, { 'if-match': '"1"' });
    expect(second.status).toBe(412);
    const error = second.body.error as {
      code: string;
      message: string;
      details: { version: number; ticket: ApiTicket };
    };
    expect(error.code).toBe('BW_ERR_TICKET_CHANGED');
    expect(error.message).toBe(
      `ticket #${ticket.number} changed since version 1 (now 2): read it again and repeat the change`,
    );
    expect(error.details.version).toBe(2);
    expect(error.details.ticket).toMatchObject({ id: ticket.id, priority: 'high', state: 'open' });
    // Nothing of the refused change was written.
    expect((await history(ticket.id)).filter((e) => e.field === 'state')).toEqual([]);

    // A weak tag and `*` match; no If-Match keeps the old last-write-wins behaviour.
    expect((await patch(ticket.id, { priority: 'low' }, { 'if-match': 'W/"2"' })).status).toBe(200);
    expect((await patch(ticket.id, { priority: 'urgent' }, { 'if-match': '*' })).status).toBe(200);
    expect((await patch(ticket.id, { priority: 'normal' })).status).toBe(200);
  });

  it('lets exactly one of two simultaneous changes to the same version through', async () => {
    const ticket = await open({ subject: 'Race' });
    const [a, b] = await Promise.all([
      patch(ticket.id, { priority: 'high' }, { 'if-match': '"1"' }),
      patch(ticket.id, { priority: 'low' }, { 'if-match': '"1"' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    expect((await history(ticket.id)).filter((e) => e.field === 'priority')).toHaveLength(1);
  });

  it('moves the version whoever changes a field, and not for a reply', async () => {
    const ticket = await open({ subject: 'Changed behind the API' });
    await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'on it' });
    expect((await db('tickets').where({ id: ticket.id }).first('version')).version).toBe(1);
    // The SLA sweep and the alerts write through their own repositories.
    await db('tickets').where({ id: ticket.id }).update({ priority: 'urgent' });
    expect((await db('tickets').where({ id: ticket.id }).first('version')).version).toBe(2);
    const stale = await patch(ticket.id, { priority: 'low' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
  });

  it('answers 400 naming the header for an If-Match that is not a version', async () => {
    const ticket = await open({ subject: 'Bad header' });
    const res = await patch(ticket.id, { priority: 'low' }, { 'if-match': 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'BW_ERR_VALIDATION',
      details: { field: 'if-match' },
    });
  });
});

describe('the queue', () => {
  it('carries the clock that needs attention first, and none once the ticket is done', async () => {
    const { calendar } = await t.api.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
      name: 'always',
      spec: {
        zone: 'UTC',
        week: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']]),
        ),
      },
    });
    await t.api.post('/api/v1/sla/policies', {
      name: 'urgent only',
      calendarId: calendar.id,
      firstResponseMs: 3_600_000,
      resolutionMs: 8 * 3_600_000,
      conditions: { priority: ['urgent'] },
    });
    const ticket = await open({ subject: 'Branch offline', priority: 'urgent' });
    type Due = { clock: string; status: string; deadline: string | null } | null;
    const dueOf = async () =>
      (
        await t.api.get<{ items: (ApiTicket & { due: Due })[] }>('/api/v1/tickets?q=offline')
      ).items.find((i) => i.id === ticket.id)!.due;

    const first = await dueOf();
    expect(first).toMatchObject({ clock: 'firstResponse', status: 'running' });
    const left = Date.parse(first!.deadline!) - Date.now();
    expect(left).toBeGreaterThan(3_500_000);
    expect(left).toBeLessThanOrEqual(3_600_000);

    await people.sara!.api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'looking' });
    expect(await dueOf()).toMatchObject({ clock: 'resolution', status: 'running' });
    await patch(ticket.id, { state: 'waiting' });
    expect(await dueOf()).toMatchObject({ clock: 'resolution', status: 'paused', deadline: null });
    await patch(ticket.id, { state: 'resolved' });
    expect(await dueOf()).toBeNull();
  });
});

describe('history with names', () => {
  it('names the assignee and group of a change; ids that name nothing any more get no name', async () => {
    const { group } = await t.api.post<{ group: { id: string } }>('/api/v1/support-groups', {
      name: 'Field service',
      tenantId,
    });
    const ticket = await open({ subject: 'Names' });
    await patch(ticket.id, { groupId: group.id, assigneeId: people.sara!.id });
    const events = await history(ticket.id);
    expect(events.find((e) => e.field === 'group')).toMatchObject({
      old: null,
      new: group.id,
      oldLabel: null,
      newLabel: 'Field service',
    });
    expect(events.find((e) => e.field === 'assignee')).toMatchObject({
      new: people.sara!.id,
      newLabel: 'sara',
    });
    // A field that is not an id carries no labels.
    await patch(ticket.id, { priority: 'high' });
    const priority = (await history(ticket.id)).find((e) => e.field === 'priority')!;
    expect(priority).not.toHaveProperty('newLabel');

    // Someone who left: the history keeps the id, with no name to show.
    const [gone] = await db('users')
      .insert({
        username: 'leaver',
        role: 'support_agent',
        tenant_id: tenantId,
        password_hash: 'x',
      })
      .returning('id');
    await patch(ticket.id, { assigneeId: gone.id });
    await db('users').where({ id: gone.id }).delete();
    const handover = (await history(ticket.id)).filter((e) => e.field === 'assignee').at(-1)!;
    expect(handover).toMatchObject({ oldLabel: 'sara', new: gone.id, newLabel: null });
  });
});

describe('assignees', () => {
  it('lists who may work tickets, for anyone who reads them', async () => {
    const list = await people.vida!.api.get<{ items: { username: string; role: string }[] }>(
      '/api/v1/assignees',
    );
    const names = list.items.map((p) => p.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'omid', 'sara']));
    expect(names).not.toContain('vida');
    expect(names).toEqual([...names].sort());
  });
});

describe('ending an alert ticket while its alert fails', () => {
  async function alertTicket(state: 'failing' | 'ok') {
    const created = await t.api.createAgent(`b-${state}-${Date.now()}`, 'srv');
    const agent = await db('agents').where({ id: created.agent.id }).first();
    const [check] = await db('checks')
      .insert({
        tenant_id: agent.tenant_id,
        branch_id: agent.branch_id,
        agent_id: agent.id,
        key: 'wan-gw',
        type: 'icmp',
        target: '192.0.2.1',
        state,
        state_since: new Date('2026-03-01T10:00:00Z'),
      })
      .returning('id');
    const [ticket] = await db('tickets')
      .insert({
        tenant_id: agent.tenant_id,
        branch_id: agent.branch_id,
        agent_id: agent.id,
        check_id: check.id,
        alert_kind: 'check',
        subject: 'wan-gw failing',
        state: 'open',
        source: 'alert',
      })
      .returning('id');
    return ticket.id as string;
  }

  it('refuses without a reason, naming the check, and records the reason when given', async () => {
    const id = await alertTicket('failing');
    const refused = await patch(id, { state: 'resolved' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: 'BW_ERR_ALERT_STILL_FAILING',
      message:
        'the check wan-gw is still failing since 2026-03-01T10:00:00.000Z: say why in "reason" ' +
        'to end the ticket anyway',
      details: {
        alert: 'check',
        name: 'wan-gw',
        since: '2026-03-01T10:00:00.000Z',
        field: 'reason',
      },
    });
    const done = await patch(id, { state: 'resolved', reason: 'Carrier confirmed a fault' });
    expect(done.status).toBe(200);
    const change = (await history(id)).find((e) => e.field === 'state')!;
    expect(change).toMatchObject({
      old: 'open',
      new: 'resolved',
      body: 'Carrier confirmed a fault',
      data: { stillFailing: { alert: 'check', name: 'wan-gw' } },
    });
  });

  it('ends it without a word once the check is ok, and ignores a reason then', async () => {
    const id = await alertTicket('ok');
    const res = await patch(id, { state: 'closed', reason: 'no longer needed' });
    expect(res.status).toBe(200);
    expect((await history(id)).find((e) => e.field === 'state')!.body).toBeNull();
  });
});

describe('canned replies and settings', () => {
  it('changes a canned reply, still refusing unknown variables', async () => {
    const { cannedReply } = await t.api.post<{ cannedReply: { id: string } }>(
      '/api/v1/canned-replies',
      { name: 'Hello', body: 'Hello from {{user.name}}', tenantId },
    );
    const changed = await t.api.request('PATCH', `/api/v1/canned-replies/${cannedReply.id}`, {
      body: 'Hi, ticket {{ticket.number}} is ours',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.cannedReply).toMatchObject({
      name: 'Hello',
      body: 'Hi, ticket {{ticket.number}} is ours',
      tenantId,
    });
    const bad = await t.api.request('PATCH', `/api/v1/canned-replies/${cannedReply.id}`, {
      body: '{{user.password}}',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ details: { field: 'body' } });
    // Support agents use canned replies, they do not write them.
    const agent = await people.sara!.api.request(
      'PATCH',
      `/api/v1/canned-replies/${cannedReply.id}`,
      { name: 'x' },
    );
    expect(agent.status).toBe(403);
  });

  it('keeps the tenant’s ticket language; a tenant user reaches only their own', async () => {
    expect(await people.sara!.api.get('/api/v1/helpdesk/settings')).toEqual({
      tenantId,
      language: 'en',
    });
    const global = await t.api.request('GET', '/api/v1/helpdesk/settings');
    expect(global.status).toBe(400);
    expect(global.body.error).toMatchObject({ details: { field: 'tenantId' } });
    expect(
      await t.api.request('PUT', '/api/v1/helpdesk/settings', { tenantId, language: 'fa' }),
    ).toMatchObject({ status: 200, body: { tenantId, language: 'fa' } });
    expect(await people.sara!.api.get('/api/v1/helpdesk/settings')).toEqual({
      tenantId,
      language: 'fa',
    });
    const other = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug: 'other',
      name: 'Other',
    });
    const foreign = await people.sara!.api.request(
      'GET',
      `/api/v1/helpdesk/settings?tenantId=${other.tenant.id}`,
    );
    expect(foreign.status).toBe(400);
    const wrong = await t.api.request('PUT', '/api/v1/helpdesk/settings', {
      tenantId,
      language: 'de',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ details: { field: 'language' } });
  });
});
