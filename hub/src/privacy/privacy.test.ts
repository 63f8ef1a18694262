import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { connectDatabase, type Database } from '../db/database.js';
import { AuditRepository } from '../identity/audit/audit.repository.js';
import { AuditService } from '../identity/audit/audit.service.js';
import { pseudonymOf } from './privacy.service.js';

/**
 * Retention per tenant and a person's data exported and erased (docs/privacy.md), against a
 * real hub on the embedded PostgreSQL. Time moves through the retention job's own sweep.
 */

const PASSWORD = 'privacy-password-123';
const DAY = 86_400_000;
let t: TestHub;
let db: Database;

interface Tenant {
  id: string;
  slug: string;
  admin: ApiClient;
  adminId: string;
  ticket: string;
  closed: string;
}

async function login(username: string) {
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  return api;
}

async function person(username: string, role: string, tenantId: string, branchIds?: string[]) {
  const { user } = await t.api.post<{ user: { id: string } }>('/api/v1/users', {
    username,
    password: PASSWORD,
    role,
    tenantId,
    ...(branchIds ? { branchIds } : {}),
  });
  return user.id;
}

async function attach(api: ApiClient, ticketId: string, name: string, content: string) {
  const res = await fetch(
    `${t.api.baseUrl}/api/v1/tickets/${ticketId}/attachments?name=${encodeURIComponent(name)}`,
    {
      method: 'PUT',
      headers: {
        'content-type': 'text/plain',
        authorization: `Bearer ${(api as unknown as { token: string }).token}`,
      },
      body: content,
    },
  );
  expect(res.status).toBe(201);
}

/** A tenant with an admin, a check with rounds, an open ticket and a closed one, each attached. */
async function tenant(slug: string): Promise<Tenant> {
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug,
  });
  const adminId = await person(`${slug}-admin`, 'tenant_admin', tenant.id);
  const admin = await login(`${slug}-admin`);
  const { branch } = await admin.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: `${slug}-hq`,
  });
  const { agent } = await admin.post<{ agent: { id: string } }>('/api/v1/agents', {
    branchId: branch.id,
    slug: 'srv',
  });
  const [check] = await db('checks')
    .insert({
      tenant_id: tenant.id,
      branch_id: branch.id,
      agent_id: agent.id,
      key: `${slug}-gw`,
      type: 'icmp',
      target: '127.0.0.1',
    })
    .returning('id');
  const now = Date.now();
  await db('check_results').insert(
    [1, 2, 3].map((m) => ({
      check_id: (check as { id: string }).id,
      at: new Date(now - m * 60_000),
      status: 'ok',
      fields: {},
      replayed: false,
      batch_seq: m,
    })),
  );
  const open = async (subject: string) =>
    (
      await admin.post<{ ticket: { id: string } }>('/api/v1/tickets', {
        subject,
        body: 'details',
        branchId: branch.id,
      })
    ).ticket.id;
  const ticket = await open(`${slug} printer jams`);
  const closed = await open(`${slug} old outage`);
  await attach(admin, ticket, 'notes.txt', 'open ticket notes');
  await attach(admin, closed, 'trace.txt', 'an old trace');
  await db('tickets').where({ id: closed }).update({ state: 'closed', resolved_at: new Date() });
  return { id: tenant.id, slug, admin, adminId, ticket, closed };
}

let alpha: Tenant;
let bravo: Tenant;

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  alpha = await tenant('alpha');
  bravo = await tenant('bravo');
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

describe("a person's data", () => {
  let dana: string;
  let danaApi: ApiClient;
  let filed: string;

  beforeAll(async () => {
    const branch = (await db('branches').where({ tenant_id: alpha.id }).first('id')) as {
      id: string;
    };
    dana = await person('dana.karimi', 'support_agent', alpha.id, [branch.id]);
    danaApi = await login('dana.karimi');
    filed = (
      await danaApi.post<{ ticket: { id: string } }>('/api/v1/tickets', {
        subject: 'Phone line dead at reception',
        body: 'called from the desk',
        branchId: branch.id,
      })
    ).ticket.id;
    await danaApi.post(`/api/v1/tickets/${alpha.ticket}/replies`, { body: 'I replaced the toner' });
    await alpha.admin.post(`/api/v1/tickets/${alpha.ticket}/replies`, {
      body: 'Thanks @dana.karimi, closing soon',
    });
    await alpha.admin.request('PATCH', `/api/v1/tickets/${alpha.ticket}`, {
      subject: 'alpha printer jams (reported by Dana.Karimi)',
    });
  });

  it('hands an admin everything the hub holds about the person, and audits it', async () => {
    const res = await alpha.admin.request('GET', `/api/v1/users/${dana}/personal-data`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const data = res.body as {
      account: { username: string; role: string; tenant: string };
      branches: string[];
      sessions: unknown[];
      ticketsFiled: { subject: string }[];
      messages: { body: string | null; kind: string }[];
    };
    expect(data.account).toMatchObject({
      username: 'dana.karimi',
      role: 'support_agent',
      tenant: 'alpha',
    });
    expect(data.branches).toEqual(['alpha-hq']);
    expect(data.sessions).toHaveLength(1);
    expect(data.ticketsFiled.map((x) => x.subject)).toEqual(['Phone line dead at reception']);
    expect(data.messages.map((m) => m.body)).toContain('I replaced the toner');
    expect(JSON.stringify(data)).not.toContain('password');
    const entry = await db('audit_log')
      .where({ action: 'privacy.exported', target: `user:${dana}` })
      .first('actor');
    expect(entry).toEqual({ actor: 'alpha-admin' });
  });

  it("answers 404 for another tenant's person, to their admin and to a viewer's lack of right", async () => {
    expect((await bravo.admin.request('GET', `/api/v1/users/${dana}/personal-data`)).status).toBe(
      404,
    );
    expect(
      (await bravo.admin.request('POST', `/api/v1/users/${dana}/erase`, { dryRun: true })).status,
    ).toBe(404);
    expect((await danaApi.request('GET', `/api/v1/users/${dana}/personal-data`)).status).toBe(403);
    expect((await alpha.admin.request('GET', '/api/v1/users/not-an-id/personal-data')).status).toBe(
      404,
    );
  });

  it('counts an erasure in a dry run and changes nothing', async () => {
    const res = await alpha.admin.request('POST', `/api/v1/users/${dana}/erase`, { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      pseudonym: pseudonymOf(dana),
      erased: false,
      counts: {
        ticketsFiled: 1,
        ticketsNaming: 1,
        // The reply naming her, the note that she was mentioned, the subject change.
        messagesNaming: 3,
        messagesWritten: expect.any(Number),
        ticketsAssigned: 0,
        ratingComments: 0,
        sessions: 1,
        apiTokens: 0,
        signInLinks: 0,
        groupMemberships: 0,
        // The ticket she filed and the one she replied to.
        watching: 2,
        notificationSettings: 0,
      },
    });
    expect((res.body.counts as { messagesWritten: number }).messagesWritten).toBeGreaterThan(1);
    expect((await danaApi.request('GET', '/api/v1/tickets')).status).toBe(200);
    expect(await db('users').where({ id: dana }).first('username')).toEqual({
      username: 'dana.karimi',
    });
  });

  it('erases the person: pseudonymised, signed out for good, still counted, audited', async () => {
    const messagesBefore = await db('ticket_events').where({ author_id: dana }).count('* as n');
    const res = await alpha.admin.request('POST', `/api/v1/users/${dana}/erase`, {
      dryRun: false,
    });
    expect(res.status).toBe(200);
    const pseudonym = pseudonymOf(dana);
    expect(res.body).toMatchObject({ pseudonym, erased: true, counts: { ticketsFiled: 1 } });

    // Signed out everywhere, and no password signs in again.
    expect((await danaApi.request('GET', '/api/v1/tickets')).status).toBe(401);
    const again = await new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
      username: 'dana.karimi',
      password: PASSWORD,
    });
    expect(again.status).toBe(401);

    // The tickets read the pseudonym where the person was named.
    const ticket = await alpha.admin.get<{
      ticket: { subject: string };
      events: { body: string | null; author: string | null }[];
    }>(`/api/v1/tickets/${alpha.ticket}`);
    expect(ticket.ticket.subject).toBe(`alpha printer jams (reported by ${pseudonym})`);
    const bodies = ticket.events.map((e) => e.body).join('\n');
    expect(bodies).toContain(`Thanks @${pseudonym}, closing soon`);
    expect(JSON.stringify(ticket.events)).not.toMatch(/dana/i);
    const own = await db('tickets').where({ id: filed }).first('requester_name', 'subject');
    expect(own).toEqual({ requester_name: pseudonym, subject: 'Phone line dead at reception' });

    // Kept rows still count: the messages are there, written by the same (pseudonymised) person.
    expect(await db('ticket_events').where({ author_id: dana }).count('* as n')).toEqual(
      messagesBefore,
    );
    const account = await db('users')
      .where({ id: dana })
      .first('username', 'email', 'disabled_at', 'erased_at');
    expect(account).toMatchObject({ username: pseudonym, email: null });
    expect(account.disabled_at).toBeInstanceOf(Date);
    const countOf = async (table: string) =>
      Number(((await db(table).where({ user_id: dana }).count('* as n'))[0] as { n: unknown }).n);
    expect(await countOf('sessions')).toBe(0);
    expect(await countOf('ticket_watchers')).toBe(0);
    expect(await countOf('user_branches')).toBe(1);
    // Her sign-ins still count in the SSO report, under the pseudonym, without her address.
    const signIns = await db('sign_in_events').where({ user_id: dana }).select('username', 'ip');
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns).toEqual(signIns.map(() => ({ username: pseudonym, ip: null })));

    const entry = await db('audit_log')
      .where({ action: 'privacy.erased', target: `user:${dana}` })
      .first('actor', 'details');
    expect(entry.actor).toBe('alpha-admin');
    expect(entry.details).toMatchObject({ pseudonym, ticketsFiled: 1, sessions: 1 });

    // Once only, and never oneself.
    expect(
      (await alpha.admin.request('POST', `/api/v1/users/${dana}/erase`, { dryRun: true })).status,
    ).toBe(409);
    const self = await alpha.admin.request('POST', `/api/v1/users/${alpha.adminId}/erase`, {
      dryRun: true,
    });
    expect(self.status).toBe(400);
    expect(self.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'id' } },
    });
  });
});

describe('retention per tenant', () => {
  const rounds = (tenantId: string) =>
    db('check_results')
      .whereIn('check_id', db('checks').where({ tenant_id: tenantId }).select('id'))
      .count('* as n')
      .then((r) => Number((r[0] as { n: string }).n));
  const attachments = (tenantId: string) =>
    db('ticket_attachments as a')
      .join('tickets as t', 't.id', 'a.ticket_id')
      .where('t.tenant_id', tenantId)
      .pluck('a.name');

  it('keeps everything until a policy is set, and names the tenant for an admin of all', async () => {
    const res = await alpha.admin.request('GET', '/api/v1/retention');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      policy: {
        tenantId: alpha.id,
        roundsDays: null,
        attachmentsDays: null,
        closedTicketsDays: null,
        auditDays: null,
      },
      hubRoundsDays: 30,
      cutoffs: { rounds: null, attachments: null, closedTickets: null, audit: null },
      counts: { rounds: 0, attachments: 0, closedTickets: 0, auditEntries: 0 },
    });
    const global = await t.api.request('GET', '/api/v1/retention');
    expect(global.status).toBe(400);
    expect(global.body).toMatchObject({ error: { details: { field: 'tenantId' } } });
    expect(
      (await bravo.admin.request('GET', `/api/v1/retention?tenantId=${alpha.id}`)).status,
    ).toBe(404);
    const tooShort = await alpha.admin.request('PUT', '/api/v1/retention', {
      roundsDays: 1,
      attachmentsDays: null,
      closedTicketsDays: null,
      auditDays: null,
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body).toMatchObject({ error: { details: { field: 'roundsDays' } } });
  });

  it("counts in a dry run what the job then removes, of the tenant's data only", async () => {
    const res = await alpha.admin.request('PUT', '/api/v1/retention', {
      roundsDays: 2,
      attachmentsDays: 7,
      closedTicketsDays: 30,
      auditDays: 90,
    });
    expect(res.status).toBe(200);
    const changed = await db('audit_log')
      .where({ action: 'privacy.retention_changed', tenant_id: alpha.id })
      .first('details');
    expect(changed.details).toMatchObject({ roundsDays: { from: null, to: 2 } });
    // Bravo keeps everything: its own policy says so.
    await bravo.admin.request('PUT', '/api/v1/retention', {
      roundsDays: null,
      attachmentsDays: null,
      closedTicketsDays: null,
      auditDays: null,
    });

    // Nothing is old enough today.
    expect(res.body.counts).toEqual({
      rounds: 0,
      attachments: 0,
      attachmentBytes: 0,
      closedTickets: 0,
      auditEntries: 0,
    });

    // Ten days on: the rounds and the closed ticket's attachment are past their time.
    const tenDays = new Date(Date.now() + 10 * DAY);
    const dry = await t.hub.privacy.preview(alpha.id, tenDays);
    expect(dry.counts).toEqual({
      rounds: 3,
      attachments: 1,
      attachmentBytes: 'an old trace'.length,
      closedTickets: 0,
      auditEntries: 0,
    });
    expect(await rounds(alpha.id)).toBe(3);
    const swept = await t.hub.privacy.sweep(tenDays);
    expect(swept?.get(alpha.id)).toEqual(dry.counts);
    expect(await rounds(alpha.id)).toBe(0);
    expect(await attachments(alpha.id)).toEqual(['notes.txt']);
    expect(await rounds(bravo.id)).toBe(3);
    expect((await attachments(bravo.id)).sort()).toEqual(['notes.txt', 'trace.txt']);
    const applied = await db('audit_log')
      .where({ action: 'privacy.retention_applied', tenant_id: alpha.id })
      .first('actor', 'details');
    expect(applied).toEqual({ actor: null, details: dry.counts });
  });

  it('removes closed tickets after their days and prunes audit content with the chain whole', async () => {
    const later = new Date(Date.now() + 100 * DAY);
    const alphaAudit = Number(
      ((await db('audit_log').where({ tenant_id: alpha.id }).count('* as n'))[0] as { n: string })
        .n,
    );
    const dry = await t.hub.privacy.preview(alpha.id, later);
    expect(dry.counts).toMatchObject({ closedTickets: 1, auditEntries: alphaAudit });
    await t.hub.privacy.sweep(later);
    expect(await db('tickets').where({ id: alpha.closed }).first('id')).toBeUndefined();
    expect(await db('tickets').where({ id: alpha.ticket }).first('id')).toBeDefined();
    expect(await db('tickets').where({ id: bravo.closed }).first('id')).toBeDefined();
    const pruned = await db('audit_log')
      .where({ tenant_id: alpha.id })
      .whereNotNull('pruned_at')
      .select('actor', 'target', 'details');
    expect(pruned).toHaveLength(alphaAudit);
    for (const entry of pruned) expect(entry).toEqual({ actor: null, target: null, details: {} });
    // Bravo's entries keep their content; the chain still verifies from its first entry.
    expect(
      await db('audit_log').where({ tenant_id: bravo.id }).whereNotNull('pruned_at').first('seq'),
    ).toBeUndefined();
    const verified = await new AuditService(new AuditRepository(db)).verify();
    expect(verified.break).toBeUndefined();
    expect(verified.entries).toBeGreaterThan(alphaAudit);
  });
});
