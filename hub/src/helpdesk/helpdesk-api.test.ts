import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/database.js';
import { hashPassword } from '../identity/password.js';
import { ApiClient } from '../../../test/support/http.js';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../../test/support/hub.js';

// The helpdesk through the real hub's HTTP API on its own PostgreSQL (docs/tickets.md).
let t: TestHub;
let db: Database;
let branchId: string;
let token: string;
const people: Record<string, { id: string; api: ApiClient }> = {};

interface TicketBody {
  ticket: Record<string, unknown> & { id: string; number: number; state: string };
}
interface Detail extends TicketBody {
  events: {
    kind: string;
    field?: string;
    old?: string | null;
    new?: string | null;
    body: string | null;
    author: string | null;
    visibility: string;
  }[];
  tags: string[];
  watchers: { username: string }[];
  attachments: { id: string; name: string; size: number }[];
  clocks: Record<
    string,
    { status: string; deadline: string | null; remainingMs: number; paused: boolean } | null
  >;
}

async function person(username: string, role: string) {
  const tenant = await db('tenants').first('id');
  const [row] = await db('users')
    .insert({
      username,
      role,
      tenant_id: tenant.id,
      password_hash: await hashPassword('password-123'),
    })
    .returning('id');
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, 'password-123');
  people[username] = { id: row.id, api };
}

const open = (body: Record<string, unknown>) =>
  t.api.post<TicketBody>('/api/v1/tickets', { branchId, priority: 'normal', ...body });
const detail = (id: string) => t.api.get<Detail>(`/api/v1/tickets/${id}`);

beforeAll(async () => {
  t = await startTestHub({
    BW_ATTACHMENT_MAX_BYTES: '1024',
    BW_ATTACHMENT_TYPES: 'text/plain,image/*',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  token = (
    (await t.api.post('/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD })) as {
      token: string;
    }
  ).token;
  branchId = (
    await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'tabriz-1',
      name: 'Tabriz 1',
    })
  ).branch.id;
  for (const name of ['ali', 'bahar', 'cyrus']) await person(name, 'support_agent');
  await person('vera', 'viewer');
});
afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

describe('tickets opened by people', () => {
  it('opens a ticket with subject, body, priority, category and branch', async () => {
    const { ticket } = await open({
      subject: 'Printer offline',
      body: 'The printer on floor 2',
      priority: 'high',
      category: 'hardware',
    });
    expect(ticket).toMatchObject({
      state: 'open',
      priority: 'high',
      category: 'hardware',
      source: 'person',
      branchId,
    });
    const d = await detail(ticket.id);
    expect(d.events.map((e) => [e.kind, e.body, e.author])).toEqual([
      ['opened', 'The printer on floor 2', 'admin'],
    ]);
    expect(d.watchers.map((w) => w.username)).toEqual(['admin']);
  });

  it('refuses a transition the workflow forbids with a 409 naming from and to', async () => {
    const { ticket } = await open({ subject: 'Closed for good', body: 'x' });
    await t.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'closed' });
    const res = await t.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'open' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: {
        code: 'BW_ERR_TICKET_TRANSITION',
        message: 'a ticket cannot go from closed to open (closed is final)',
        details: { from: 'closed', to: 'open' },
      },
    });
  });

  it('records every field change with its old and new value', async () => {
    const { ticket } = await open({ subject: 'History', body: 'x' });
    await t.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, {
      state: 'in_progress',
      priority: 'urgent',
      subject: 'History 2',
    });
    await t.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { assigneeId: people.ali!.id });
    const changes = (await detail(ticket.id)).events
      .filter((e) => e.kind === 'change')
      .map((e) => [e.field, e.old, e.new, e.author]);
    expect(changes).toEqual([
      ['state', 'open', 'in_progress', 'admin'],
      ['priority', 'normal', 'urgent', 'admin'],
      ['subject', 'History', 'History 2', 'admin'],
      ['assignee', null, people.ali!.id, 'admin'],
    ]);
  });

  it('lets viewers read but not write', async () => {
    const res = await people.vera!.api.request('POST', '/api/v1/tickets', {
      subject: 's',
      body: 'b',
      branchId,
    });
    expect(res.status).toBe(403);
    expect((res.body.error as { code: string }).code).toBe('BW_ERR_FORBIDDEN');
  });
});

describe('support groups and automatic assignment', () => {
  it('assigns round robin within a group, skipping people who are away', async () => {
    const { group } = await t.api.post<{ group: { id: string } }>('/api/v1/support-groups', {
      name: 'Network',
      assignment: 'round_robin',
    });
    for (const name of ['ali', 'bahar', 'cyrus']) {
      await t.api.request('PUT', `/api/v1/support-groups/${group.id}/members/${people[name]!.id}`, {
        away: false,
      });
    }
    // Bahar marks herself away.
    const away = await people.bahar!.api.request(
      'PUT',
      `/api/v1/support-groups/${group.id}/members/${people.bahar!.id}`,
      { away: true },
    );
    expect(away.status).toBe(200);
    const assignees = [];
    for (let i = 0; i < 4; i++) {
      const { ticket } = await open({ subject: `RR ${i}`, body: 'x', groupId: group.id });
      assignees.push(ticket.assigneeId);
    }
    const { ali, cyrus } = people;
    expect(assignees).toEqual([ali!.id, cyrus!.id, ali!.id, cyrus!.id]);
  });

  it('assigns the least loaded present member', async () => {
    const { group } = await t.api.post<{ group: { id: string } }>('/api/v1/support-groups', {
      name: 'Phones',
      assignment: 'least_loaded',
    });
    for (const name of ['ali', 'cyrus']) {
      await t.api.request(
        'PUT',
        `/api/v1/support-groups/${group.id}/members/${people[name]!.id}`,
        {},
      );
    }
    const load = async (id: string) =>
      (await t.api.get<{ items: unknown[] }>(`/api/v1/tickets?assignee=${id}&state=active`)).items
        .length;
    const [a, c] = [await load(people.ali!.id), await load(people.cyrus!.id)];
    const { ticket } = await open({ subject: 'LL', body: 'x', groupId: group.id });
    expect(ticket.assigneeId).toBe(a <= c ? people.ali!.id : people.cyrus!.id);
  });
});

describe('conversation', () => {
  it('keeps public replies and internal notes, and adds @mentioned people as watchers', async () => {
    const { ticket } = await open({ subject: 'Mentions', body: 'x' });
    const reply = await t.api.post<{ mentioned: string[] }>(
      `/api/v1/tickets/${ticket.id}/replies`,
      {
        body: 'Looking into it, @Bahar and @cyrus. Mail ops@example.com',
      },
    );
    expect(reply.mentioned.sort()).toEqual(['bahar', 'cyrus']);
    await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'internal only',
      visibility: 'internal',
    });
    const d = await detail(ticket.id);
    expect(
      d.events.filter((e) => ['reply', 'note'].includes(e.kind)).map((e) => [e.kind, e.visibility]),
    ).toEqual([
      ['reply', 'public'],
      ['note', 'internal'],
    ]);
    expect(
      d.events
        .filter((e) => e.kind === 'mention')
        .map((e) => e.new)
        .sort(),
    ).toEqual(['bahar', 'cyrus']);
    expect(d.watchers.map((w) => w.username)).toEqual(['admin', 'bahar', 'cyrus']);
  });

  it('renders canned replies with their variables, and refuses unknown variables', async () => {
    const bad = await t.api.request('POST', '/api/v1/canned-replies', {
      name: 'bad',
      body: '{{user.password}}',
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toBe(
      'body: unknown variable {{user.password}}',
    );
    const { cannedReply } = await t.api.post<{ cannedReply: { id: string } }>(
      '/api/v1/canned-replies',
      {
        name: 'ack',
        body: 'Ticket #{{ticket.number}} ({{ticket.subject}}) at {{branch.name}}: on it. — {{user.name}}',
      },
    );
    const { ticket } = await open({ subject: 'Canned {{user.name}}', body: 'x' });
    await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, { cannedReplyId: cannedReply.id });
    const replyEvent = (await detail(ticket.id)).events.find((e) => e.kind === 'reply')!;
    expect(replyEvent.body).toBe(
      `Ticket #${ticket.number} (Canned {{user.name}}) at Tabriz 1: on it. — admin`,
    );
  });

  it('stores attachments by content hash within the size and type limits', async () => {
    const { ticket } = await open({ subject: 'Attach', body: 'x' });
    const put = (name: string, type: string, body: string) =>
      fetch(
        `${t.api.baseUrl}/api/v1/tickets/${ticket.id}/attachments?name=${encodeURIComponent(name)}`,
        {
          method: 'PUT',
          headers: { 'content-type': type, authorization: `Bearer ${token}` },
          body,
        },
      );
    const ok = await put('../../etc/passwd log.txt', 'text/plain', 'ping loss 12%');
    expect(ok.status).toBe(201);
    const { attachment } = (await ok.json()) as { attachment: { id: string; size: number } };
    expect(attachment.size).toBe(13);
    expect((await put('big.txt', 'text/plain', 'x'.repeat(1025))).status).toBe(413);
    expect((await put('page.html', 'text/html', '<script>')).status).toBe(415);
    const download = await fetch(
      `${t.api.baseUrl}/api/v1/tickets/${ticket.id}/attachments/${attachment.id}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(await download.text()).toBe('ping loss 12%');
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const anonymous = await fetch(
      `${t.api.baseUrl}/api/v1/tickets/${ticket.id}/attachments/${attachment.id}`,
    );
    expect(anonymous.status).toBe(401);
    const d = await detail(ticket.id);
    expect(d.attachments.map((a) => [a.name, a.size])).toEqual([['../../etc/passwd log.txt', 13]]);
  });

  it('merges a ticket: the conversation moves and the source closes with a note', async () => {
    const a = (await open({ subject: 'Duplicate', body: 'first report' })).ticket;
    const b = (await open({ subject: 'Original', body: 'second report' })).ticket;
    await t.api.post(`/api/v1/tickets/${a.id}/replies`, { body: 'reply on the duplicate' });
    const res = await t.api.request('POST', `/api/v1/tickets/${a.id}/merge`, { into: b.id });
    expect(res.status).toBe(204);
    const source = await detail(a.id);
    expect(source.ticket).toMatchObject({ state: 'closed', mergedIntoId: b.id });
    expect(source.events.some((e) => e.body === `Merged into ticket ${b.number}.`)).toBe(true);
    const target = await detail(b.id);
    const bodies = target.events.map((e) => e.body);
    expect(bodies).toContain('first report');
    expect(bodies).toContain('reply on the duplicate');
  });
});

describe('queue: search, filters, bulk, export', () => {
  it('finds tickets by Persian and English words in subject and conversation', async () => {
    const fa = (await open({ subject: 'قطعی اینترنت شعبه', body: 'مودم خاموش است' })).ticket;
    const en = (await open({ subject: 'Slow VPN', body: 'x' })).ticket;
    await t.api.post(`/api/v1/tickets/${en.id}/replies`, {
      body: 'The tunnels were renegotiating',
    });
    const search = async (q: string) =>
      (
        await t.api.get<{ items: { id: string }[] }>(`/api/v1/tickets?q=${encodeURIComponent(q)}`)
      ).items.map((i) => i.id);
    expect(await search('مودم')).toEqual([fa.id]);
    expect(await search('اینترنت')).toEqual([fa.id]);
    expect(await search('tunnel renegotiate')).toEqual([en.id]); // English stems
  });

  it('filters by tag and priority, sorts and pages', async () => {
    const ids = [];
    for (const priority of ['low', 'urgent', 'normal']) {
      const { ticket } = await open({ subject: `Sorted ${priority}`, body: 'x', priority });
      await t.api.post(`/api/v1/tickets/${ticket.id}/tags`, { tag: 'sorting' });
      ids.push(ticket.id);
    }
    const page = await t.api.get<{ items: { priority: string }[]; nextOffset: number | null }>(
      '/api/v1/tickets?tag=sorting&sort=priority&order=desc&limit=2',
    );
    expect(page.items.map((i) => i.priority)).toEqual(['urgent', 'normal']);
    expect(page.nextOffset).toBe(2);
    const urgent = await t.api.get<{ items: unknown[] }>(
      '/api/v1/tickets?tag=sorting&priority=urgent,low',
    );
    expect(urgent.items).toHaveLength(2);
  });

  it('applies bulk actions with a result per ticket', async () => {
    const a = (await open({ subject: 'Bulk a', body: 'x' })).ticket;
    const b = (await open({ subject: 'Bulk b', body: 'x' })).ticket;
    await t.api.request('PATCH', `/api/v1/tickets/${b.id}`, { state: 'closed' });
    const { results } = await t.api.post<{ results: unknown[] }>('/api/v1/tickets/bulk', {
      ids: [a.id, b.id],
      action: { action: 'state', state: 'waiting' },
    });
    expect(results).toEqual([
      { id: a.id, ok: true },
      {
        id: b.id,
        ok: false,
        error: {
          code: 'BW_ERR_TICKET_TRANSITION',
          message: 'a ticket cannot go from closed to waiting (closed is final)',
        },
      },
    ]);
  });

  it('exports the filtered queue as RFC 4180 CSV', async () => {
    const { ticket } = await open({ subject: 'Quote "this", please\nnext line', body: 'x' });
    await t.api.post(`/api/v1/tickets/${ticket.id}/tags`, { tag: 'export-me' });
    const res = await fetch(`${t.api.baseUrl}/api/v1/tickets/export.csv?tag=export-me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // The byte-order mark Excel needs for UTF-8 (fetch's text() would drop it: read the bytes).
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const [header, row, end] = text.split('\r\n');
    expect(header).toBe(
      'number,subject,state,priority,category,source,requester,requester_contact,branch,assignee,group,tags,opened_at,resolved_at',
    );
    expect(row).toMatch(
      new RegExp(
        `^${ticket.number},"Quote ""this"", please\nnext line",open,normal,,person,,,Tabriz 1,,,export-me,`,
      ),
    );
    expect(end).toBe('');
  });
});

describe('SLA in the ticket page', () => {
  it('shows the clocks of the first matching policy, paused while waiting', async () => {
    const { calendar } = await t.api.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
      name: 'NOC 24/7',
      spec: {
        zone: 'Asia/Tehran',
        week: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']]),
        ),
      },
    });
    const bad = await t.api.request('POST', '/api/v1/sla/calendars', {
      name: 'bad',
      spec: { zone: 'Mars/Olympus', week: {} },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toBe(
      'spec: unknown IANA time zone "Mars/Olympus"',
    );
    const policy = (urgent: boolean, hours: number) => ({
      name: urgent ? 'urgent' : 'default',
      position: urgent ? 0 : 1,
      calendarId: calendar.id,
      firstResponseMs: hours * 1800_000,
      resolutionMs: hours * 3600_000,
      conditions: urgent ? { priority: ['urgent'] } : {},
    });
    await t.api.post('/api/v1/sla/policies', policy(false, 8));
    await t.api.post('/api/v1/sla/policies', policy(true, 2));
    const { ticket } = await open({ subject: 'Clocks', body: 'x', priority: 'urgent' });
    const running = await detail(ticket.id);
    expect(running.clocks.resolution).toMatchObject({ status: 'running', paused: false });
    expect(running.clocks.resolution!.remainingMs).toBeLessThanOrEqual(2 * 3600_000);
    expect(running.clocks.resolution!.remainingMs).toBeGreaterThan(2 * 3600_000 - 60_000);
    await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'We are on it' });
    await t.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'waiting' });
    const waiting = await detail(ticket.id);
    expect(waiting.clocks.firstResponse!.status).toBe('met');
    expect(waiting.clocks.resolution).toMatchObject({
      status: 'paused',
      paused: true,
      deadline: null,
    });
  });
});

describe('link availability', () => {
  it('reports a month of a branch link from its rounds, with the outages', async () => {
    const issued = await t.api.createAgent('oran-1', 'srv-01');
    const agent = await db('agents').where({ id: issued.agent.id }).first('tenant_id', 'branch_id');
    const [check] = await db('checks')
      .insert({
        tenant_id: agent.tenant_id,
        branch_id: agent.branch_id,
        agent_id: issued.agent.id,
        key: 'wan',
        type: 'icmp',
        target: '192.0.2.1',
      })
      .returning('id');
    // Rounds a minute apart, ending before now: ok, failed, failed, ok — 2 minutes down.
    const base = new Date(Math.floor((Date.now() - 6 * 60_000) / 60_000) * 60_000);
    const rounds = ['ok', 'failed', 'failed', 'ok'].map((status, i) => ({
      check_id: check.id,
      at: new Date(base.getTime() + i * 60_000),
      status,
      fields: '{}',
      replayed: false,
      batch_seq: i + 1,
    }));
    await db('check_results').insert(rounds);
    const month = base.toISOString().slice(0, 7);
    const res = await t.api.get<{ items: Record<string, unknown>[] }>(
      `/api/v1/branches/${agent.branch_id}/availability?month=${month}&target=99.5`,
    );
    expect(res.items).toHaveLength(1);
    expect(res.items[0]).toMatchObject({
      check: { key: 'wan' },
      source: 'rounds',
      downtimeMs: 120_000,
      targetPercent: 99.5,
      met: true,
      outages: [
        {
          from: new Date(base.getTime() + 60_000).toISOString(),
          to: new Date(base.getTime() + 180_000).toISOString(),
        },
      ],
    });
    const future = await t.api.request(
      'GET',
      `/api/v1/branches/${agent.branch_id}/availability?month=2999-01`,
    );
    expect(future.status).toBe(400);
  });
});
