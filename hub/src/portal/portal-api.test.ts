import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { ApiClient, waitFor } from '../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { connectDatabase, type Database } from '../db/database.js';

// The requester portal through the real hub (docs/requesters.md): a requester of one branch
// sees the known incident there, follows it, files a ticket, is answered, rates it; another
// branch's and another tenant's tickets stay out of reach.
const PASSWORD = 'portal-password-1';
let t: TestHub;
let db: Database;
let agent: MqttClient;
let tenantId: string;
let hq: string;
let shop: string;
let incidentId: string;
const as: Record<string, ApiClient> = {};

async function login(username: string) {
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  return (as[username] = api);
}

async function user(username: string, role: string, branchIds: string[], tenant = tenantId) {
  return t.api.post('/api/v1/users', {
    username,
    password: PASSWORD,
    role,
    tenantId: tenant,
    branchIds,
  });
}

beforeAll(async () => {
  t = await startTestHub({ BW_ALERT_AGENT_OFFLINE_GRACE_SECONDS: '86400' });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'acme',
    name: 'Acme',
  });
  tenantId = tenant.id;
  const branch = async (slug: string, name: string) =>
    (
      await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
        slug,
        name,
        tenant: 'acme',
      })
    ).branch.id;
  hq = await branch('acme-hq', 'Head office');
  shop = await branch('acme-shop', 'Shop');
  const issued = await t.api.post<{ credentials: { username: string; password: string } }>(
    '/api/v1/agents',
    { branchId: hq, slug: 'srv' },
  );
  agent = await connectAgent(t.mqttUrl, issued.credentials);
  const at = Date.now() - 10 * 60_000;
  await publish(
    agent,
    topics.results({ tenant: 'acme', branch: 'acme-hq', agent: 'srv' }),
    JSON.stringify(
      batch(
        'srv',
        1,
        [0, 1, 2, 3].map((i) => tcpResult('internet', new Date(at + i * 60_000), i === 0)),
      ),
    ),
  );
  incidentId = await waitFor('the alert ticket', async () => {
    const row = (await db('tickets').where({ source: 'alert', branch_id: hq }).first('id')) as
      { id: string } | undefined;
    return row?.id;
  });
  await user('hq-clerk', 'requester', [hq]);
  await user('hq-clerk2', 'requester', [hq]);
  await user('shop-clerk', 'requester', [shop]);
  await user('agent-sara', 'support_agent', []);
  for (const name of ['hq-clerk', 'hq-clerk2', 'shop-clerk', 'agent-sara']) await login(name);
}, 120_000);

afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
});

interface Incident {
  id: string;
  number: number;
  subject: string;
  branchName: string;
  beingWorkedOn: boolean;
  followed: boolean;
}

describe('requester portal', () => {
  it('refuses a requester without a branch: they would see the whole tenant', async () => {
    const res = await t.api.request('POST', '/api/v1/users', {
      username: 'nobranch',
      password: PASSWORD,
      role: 'requester',
      tenantId,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'branchIds' } },
    });
  });

  it("shows the known incident of the requester's branch, and lets them follow it", async () => {
    const clerk = as['hq-clerk']!;
    const known = await clerk.get<{ items: Incident[] }>('/api/v1/portal/incidents');
    expect(known.items).toHaveLength(1);
    expect(known.items[0]).toMatchObject({
      id: incidentId,
      branchName: 'Head office',
      followed: false,
    });
    // The shop's requester knows of nothing: the incident is at the head office.
    expect(
      (await as['shop-clerk']!.get<{ items: Incident[] }>('/api/v1/portal/incidents')).items,
    ).toEqual([]);
    // Not a desk user: the queue and the desk's ticket page are refused.
    expect((await clerk.request('GET', '/api/v1/tickets')).status).toBe(403);
    expect((await clerk.request('GET', `/api/v1/tickets/${incidentId}`)).status).toBe(403);

    expect((await clerk.request('PUT', `/api/v1/portal/tickets/${incidentId}/follow`)).status).toBe(
      204,
    );
    const after = await clerk.get<{ items: Incident[] }>('/api/v1/portal/incidents');
    expect(after.items[0]!.followed).toBe(true);
    const mine = await clerk.get<{ items: { id: string }[] }>('/api/v1/portal/tickets');
    expect(mine.items.map((i) => i.id)).toEqual([incidentId]);
    expect(
      (await as['shop-clerk']!.request('PUT', `/api/v1/portal/tickets/${incidentId}/follow`))
        .status,
    ).toBe(404);
  });

  it('files a ticket with a photo; the agent answers; the requester replies, rates, reopens', async () => {
    const clerk = as['hq-clerk']!;
    const refused = await clerk.request('POST', '/api/v1/portal/tickets', {
      subject: 'Printer jam',
      body: 'The printer at desk 3 jams',
      branchId: shop,
    });
    // The shop is out of the requester's scope: as if it did not exist.
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { details: { field: 'branchId' } } });
    const blank = await clerk.request('POST', '/api/v1/portal/tickets', {
      subject: 'x',
      body: ' ',
      branchId: hq,
    });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });

    const { ticket } = await clerk.post<{ ticket: { id: string; number: number; state: string } }>(
      '/api/v1/portal/tickets',
      {
        subject: 'Printer jam',
        body: 'The printer at desk 3 jams',
        category: 'hardware',
        branchId: hq,
      },
    );
    expect(ticket.state).toBe('open');
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const upload = await fetch(
      `${t.api.baseUrl}/api/v1/portal/tickets/${ticket.id}/attachments?name=jam.jpg`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${(clerk as unknown as { token: string }).token}`,
          'content-type': 'image/jpeg',
        },
        body: photo,
      },
    );
    expect(upload.status).toBe(201);

    // The desk sees it, with the requester's name; the agent answers and resolves it.
    const desk = as['agent-sara']!;
    const onDesk = await desk.get<{
      ticket: { requesterName: string };
      attachments: { name: string }[];
    }>(`/api/v1/tickets/${ticket.id}`);
    expect(onDesk.ticket.requesterName).toBe('hq-clerk');
    expect(onDesk.attachments.map((a) => a.name)).toEqual(['jam.jpg']);
    await desk.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Internal: call the vendor',
      visibility: 'internal',
    });
    await desk.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Open the back cover and pull the sheet',
    });
    expect(
      (await clerk.request('PUT', `/api/v1/portal/tickets/${ticket.id}/rating`, { score: 5 }))
        .status,
    ).toBe(409);
    expect(
      (await desk.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'resolved' })).status,
    ).toBe(200);

    const seen = await clerk.get<{
      events: { kind: string; body: string | null; author: string | null }[];
      attachments: { name: string }[];
      reopenUntil: string | null;
    }>(`/api/v1/portal/tickets/${ticket.id}`);
    const bodies = seen.events.map((e) => e.body).filter(Boolean);
    expect(bodies).toContain('Open the back cover and pull the sheet');
    expect(JSON.stringify(seen)).not.toContain('Internal: call the vendor');
    expect(seen.attachments.map((a) => a.name)).toEqual(['jam.jpg']);
    expect(Date.parse(seen.reopenUntil!)).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const bad = await clerk.request('PUT', `/api/v1/portal/tickets/${ticket.id}/rating`, {
      score: 6,
    });
    expect(bad.status).toBe(400);
    const rated = await clerk.request('PUT', `/api/v1/portal/tickets/${ticket.id}/rating`, {
      score: 4,
      comment: 'Quick, thanks',
    });
    expect(rated.status).toBe(200);
    const row = await db('ticket_ratings').where({ ticket_id: ticket.id }).first();
    const sara = await db('users').where({ username: 'agent-sara' }).first('id');
    expect(row).toMatchObject({
      score: 4,
      comment: 'Quick, thanks',
      tenant_id: tenantId,
      branch_id: hq,
    });
    // Resolved by nobody in particular: the assignee at rating time is kept for KPIs.
    expect(row.assignee_id === null || row.assignee_id === sara.id).toBe(true);

    const reopened = await clerk.request('POST', `/api/v1/portal/tickets/${ticket.id}/reopen`, {
      body: 'It jams again',
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ ticket: { state: 'open' } });
    const again = await clerk.request('POST', `/api/v1/portal/tickets/${ticket.id}/reopen`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'BW_ERR_REOPEN_WINDOW' } });

    // Past the window: resolved nine days ago.
    await desk.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'resolved' });
    await db('tickets')
      .where({ id: ticket.id })
      .update({ resolved_at: new Date(Date.now() - 9 * 86_400_000) });
    const late = await clerk.request('POST', `/api/v1/portal/tickets/${ticket.id}/reopen`, {});
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.body)).toMatch(/within 7 days/);

    const csv = await fetch(`${t.api.baseUrl}/api/v1/portal/tickets.csv`, {
      headers: { authorization: `Bearer ${(clerk as unknown as { token: string }).token}` },
    });
    // The raw bytes: `text()` would drop the byte order mark that lets Excel read Persian.
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      'number,subject,state,category,branch,opened_at,resolved_at,rating',
    );
    expect(text).toContain(`${ticket.number},Printer jam,resolved,hardware,Head office,`);
    expect(text).toMatch(/Printer jam.*,4\r\n/);
  });

  it("keeps other people's tickets out of reach, unless the role shares the branch's", async () => {
    const mine = await as['hq-clerk']!.get<{ items: { id: string; subject: string }[] }>(
      '/api/v1/portal/tickets',
    );
    const printer = mine.items.find((i) => i.subject === 'Printer jam')!;
    // A colleague of the same branch without sharing: 404, as if it did not exist.
    const colleague = as['hq-clerk2']!;
    expect((await colleague.get<{ items: unknown[] }>('/api/v1/portal/tickets')).items).toEqual([]);
    for (const [method, path, body] of [
      ['GET', `/api/v1/portal/tickets/${printer.id}`, undefined],
      ['POST', `/api/v1/portal/tickets/${printer.id}/replies`, { body: 'x' }],
      ['PUT', `/api/v1/portal/tickets/${printer.id}/rating`, { score: 1 }],
      ['PUT', `/api/v1/portal/tickets/${printer.id}/follow`, undefined],
    ] as const)
      expect((await colleague.request(method, path, body)).status).toBe(404);
    // Another branch's requester: 404 too, even with a role that shares their branch's tickets.
    const { role } = await t.api.post<{ role: { id: string } }>('/api/v1/roles', {
      name: 'Branch manager',
      permissions: ['inventory.read', 'portal.use', 'portal.branch_tickets'],
      tenantId,
    });
    await t.api.request(
      'PATCH',
      `/api/v1/users/${(await db('users').where({ username: 'shop-clerk' }).first('id')).id}`,
      {
        customRoleId: role.id,
      },
    );
    const shopClerk = as['shop-clerk']!;
    expect((await shopClerk.request('GET', `/api/v1/portal/tickets/${printer.id}`)).status).toBe(
      404,
    );
    expect((await shopClerk.get<{ items: unknown[] }>('/api/v1/portal/tickets')).items).toEqual([]);
    // The same role at the head office shares it.
    const hq2 = (await db('users').where({ username: 'hq-clerk2' }).first('id')).id;
    await t.api.request('PATCH', `/api/v1/users/${hq2}`, { customRoleId: role.id });
    const shared = await colleague.get<{ items: { id: string }[] }>('/api/v1/portal/tickets');
    expect(shared.items.map((i) => i.id).sort()).toEqual([incidentId, printer.id].sort());
  });

  it('stores a reply sent again with its Idempotency-Key once, even when both arrive at once', async () => {
    const clerk = as['hq-clerk']!;
    const { ticket } = await clerk.post<{ ticket: { id: string } }>('/api/v1/portal/tickets', {
      subject: 'Scanner offline',
      body: 'The scanner does not answer',
      branchId: hq,
    });
    const send = (key: string, body = 'Written on the train') =>
      clerk.request(
        'POST',
        `/api/v1/portal/tickets/${ticket.id}/replies`,
        { body },
        {
          'Idempotency-Key': key,
        },
      );
    const first = await send('offline-reply-0001');
    expect(first.status).toBe(201);
    const again = await send('offline-reply-0001');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ event: { body: 'Written on the train' } });
    // Two at once with a new key: the unique index lets one through.
    const both = await Promise.all([
      send('offline-reply-0002', 'Sent twice at once'),
      send('offline-reply-0002', 'Sent twice at once'),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    const bodies = async () =>
      (
        await clerk.get<{ events: { body: string | null }[] }>(
          `/api/v1/portal/tickets/${ticket.id}`,
        )
      ).events
        .map((e) => e.body)
        .filter((b) => b !== 'The scanner does not answer' && b !== null);
    expect(await bodies()).toEqual(['Written on the train', 'Sent twice at once']);
    // Without a key, each reply is new.
    expect(
      (await clerk.request('POST', `/api/v1/portal/tickets/${ticket.id}/replies`, { body: 'x1' }))
        .status,
    ).toBe(201);
    const bad = await send('short');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
    expect(JSON.stringify(bad.body)).toContain('Idempotency-Key');
    expect(await bodies()).toEqual(['Written on the train', 'Sent twice at once', 'x1']);
  });

  it('stores a photo sent again with its Idempotency-Key once, even when both arrive at once', async () => {
    const clerk = as['hq-clerk']!;
    const { ticket } = await clerk.post<{ ticket: { id: string } }>('/api/v1/portal/tickets', {
      subject: 'Cracked screen',
      body: 'The till screen is cracked',
      branchId: hq,
    });
    const put = (key: string | null, name: string) =>
      clerk.fetch(`/api/v1/portal/tickets/${ticket.id}/attachments?name=${name}`, {
        method: 'PUT',
        headers: {
          'content-type': 'image/jpeg',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 5, 6, 7, 8]),
      });
    const first = await put('offline-photo-0001', 'crack.jpg');
    expect(first.status).toBe(201);
    const stored = (await first.json()) as { attachment: { id: string } };
    const again = await put('offline-photo-0001', 'crack.jpg');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ attachment: { id: stored.attachment.id } });
    const both = await Promise.all([
      put('offline-photo-0002', 'side.jpg'),
      put('offline-photo-0002', 'side.jpg'),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect((await put(null, 'plain.jpg')).status).toBe(201);
    const bad = await put('short', 'bad.jpg');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Idempotency-Key');
    const names = (
      await clerk.get<{ attachments: { name: string }[] }>(`/api/v1/portal/tickets/${ticket.id}`)
    ).attachments.map((a) => a.name);
    expect(names).toEqual(['crack.jpg', 'side.jpg', 'plain.jpg']);
  });

  it('remembers per person that the first-visit tour was done, and shows it again on request', async () => {
    const tour = async (who: string) =>
      (await as[who]!.get<{ tour: { done: boolean } }>('/api/v1/portal/tour')).tour.done;
    expect(await tour('shop-clerk')).toBe(false);
    const put = await as['shop-clerk']!.request('PUT', '/api/v1/portal/tour', { done: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ tour: { done: true } });
    expect(await tour('shop-clerk')).toBe(true);
    // Done again (a second browser) changes nothing; a colleague still gets the tour.
    await as['shop-clerk']!.request('PUT', '/api/v1/portal/tour', { done: true });
    expect(await tour('shop-clerk')).toBe(true);
    expect(await tour('hq-clerk2')).toBe(false);
    const rows = (await db('portal_tour').select('user_id', 'tenant_id')) as {
      tenant_id: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tenant_id).toBe(tenantId);
    // "Show the tips again" on the Profile page.
    await as['shop-clerk']!.request('PUT', '/api/v1/portal/tour', { done: false });
    expect(await tour('shop-clerk')).toBe(false);
    const bad = await as['shop-clerk']!.request('PUT', '/api/v1/portal/tour', { done: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
    // Staff without the portal have no tour there.
    expect((await as['agent-sara']!.request('GET', '/api/v1/portal/tour')).status).toBe(403);
  });
});
