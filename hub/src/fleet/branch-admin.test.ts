import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { connectDatabase, type Database } from '../db/database.js';

/**
 * Branches and tenants as an admin keeps them: renamed, placed (address, coordinates, time
 * zone), and deleted only when nothing depends on them any more.
 */

let t: TestHub;
let db: Database;

interface BranchAnswer {
  id: string;
  tenant: string;
  slug: string;
  name: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  timeZone: string;
  criticality: string;
}

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl);
});
afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

async function newBranch(slug: string, tenant?: string): Promise<BranchAnswer> {
  const { branch } = await t.api.post<{ branch: BranchAnswer }>('/api/v1/branches', {
    slug,
    ...(tenant ? { tenant } : {}),
  });
  return branch;
}

const patch = (id: string, body: unknown) => t.api.request('PATCH', `/api/v1/branches/${id}`, body);

describe('branches', () => {
  it('answers where a branch is, and renames and places it', async () => {
    const created = await newBranch('shiraz');
    expect(created).toEqual({
      id: created.id,
      tenant: 'default',
      slug: 'shiraz',
      name: 'shiraz',
      address: null,
      latitude: null,
      longitude: null,
      timeZone: 'UTC',
      criticality: 'normal',
    });

    const res = await patch(created.id, {
      name: '  Shiraz bazaar  ',
      address: 'Zand Blvd 12, Shiraz',
      latitude: 29.6103,
      longitude: 52.5311,
      timeZone: 'Asia/Tehran',
    });
    expect(res.status).toBe(200);
    expect(res.body.branch).toEqual({
      ...created,
      name: 'Shiraz bazaar',
      address: 'Zand Blvd 12, Shiraz',
      latitude: 29.6103,
      longitude: 52.5311,
      timeZone: 'Asia/Tehran',
    });
    // The list says the same, and criticality set on the alerts route shows here too.
    await t.api.request('PUT', `/api/v1/alerts/branches/${created.id}`, { criticality: 'high' });
    const { items } = await t.api.get<{ items: BranchAnswer[] }>('/api/v1/branches');
    expect(items.find((b) => b.id === created.id)).toMatchObject({
      name: 'Shiraz bazaar',
      latitude: 29.6103,
      criticality: 'high',
    });

    // Clearing: an empty address and both coordinates.
    const cleared = await patch(created.id, { address: '', latitude: null, longitude: null });
    expect(cleared.body.branch).toMatchObject({ address: null, latitude: null, longitude: null });
  });

  it('refuses bad values with the field that is wrong', async () => {
    const { id } = await newBranch('tabriz');
    const cases: [unknown, string, RegExp][] = [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone', /unknown IANA time zone "Mars\/Olympus"/],
      [{ latitude: 91, longitude: 0 }, 'latitude', /latitude/],
      [{ latitude: 10, longitude: -181 }, 'longitude', /longitude/],
      [{ latitude: 10 }, 'longitude', /give latitude and longitude together/],
      [{ latitude: '10', longitude: 5 }, 'latitude', /latitude/],
      [{ name: '   ' }, 'name', /name/],
      [{ slug: 'renamed' }, '', /slug/],
    ];
    for (const [body, field, message] of cases) {
      const res = await patch(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ code: 'BW_ERR_VALIDATION' });
      expect((res.body.error as { message: string }).message).toMatch(message);
      if (field) expect(res.body.error).toMatchObject({ details: { field } });
    }
    const unchanged = await t.api.get<{ items: BranchAnswer[] }>('/api/v1/branches');
    expect(unchanged.items.find((b) => b.id === id)).toMatchObject({
      slug: 'tabriz',
      latitude: null,
      timeZone: 'UTC',
    });
    // No such branch, or not an id at all: 404.
    const missing = await patch('00000000-0000-4000-8000-000000000000', { name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'BW_ERR_BRANCH_NOT_FOUND' });
    expect((await patch('not-an-id', { name: 'x' })).status).toBe(404);
  });

  it('deletes a branch only when no agent, open ticket or scoped user needs it', async () => {
    const { id } = await newBranch('yazd');
    await t.api.post('/api/v1/agents', { branchId: id, slug: 'srv' });
    const { ticket } = await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'Printer',
      body: 'jammed',
      branchId: id,
    });
    await t.api.post('/api/v1/users', {
      username: 'yazd-desk',
      password: 'yazd-password-123',
      role: 'support_agent',
      tenantId: (await db('tenants').where({ slug: 'default' }).first('id')).id,
      branchIds: [id],
    });

    const refused = await t.api.request('DELETE', `/api/v1/branches/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: 'BW_ERR_BRANCH_IN_USE',
      message:
        'branch yazd still has 1 agent(s), 1 open ticket(s), 1 user(s) scoped to it: ' +
        'remove or move them first',
      details: { agents: 1, openTickets: 1, scopedUsers: 1 },
    });
    expect(await db('branches').where({ id }).first()).toBeDefined();

    // Take each away: the agent, the ticket (resolved, so it stays), the user's scope.
    await db('agents').where({ branch_id: id }).delete();
    await t.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'resolved' });
    await db('user_branches').where({ branch_id: id }).delete();
    // Its own settings go with it.
    await t.api.request('PUT', '/api/v1/alerts/rules', {
      scope: 'branch',
      scopeId: id,
      failRounds: 5,
    });
    const rules = async () =>
      Number(
        (await db('alert_rules').where({ scope_id: id }).count<{ n: string }[]>('* as n'))[0]!.n,
      );
    expect(await rules()).toBe(1);

    const deleted = await t.api.request('DELETE', `/api/v1/branches/${id}`);
    expect(deleted.status).toBe(204);
    expect(await db('branches').where({ id }).first()).toBeUndefined();
    expect(await rules()).toBe(0);
    // The resolved ticket keeps its history, without a branch.
    expect(await db('tickets').where({ id: ticket.id }).first('branch_id')).toEqual({
      branch_id: null,
    });
    const audit = await db('audit_log').where({ action: 'branch.deleted' }).first();
    expect(audit).toMatchObject({ target: `branch:${id}`, actor: 'admin' });
    expect((await t.api.request('DELETE', `/api/v1/branches/${id}`)).status).toBe(404);
  });
});

describe('tenants', () => {
  it('renames a tenant and keeps its slug', async () => {
    const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug: 'acme',
      name: 'Acme',
    });
    const res = await t.api.request('PATCH', `/api/v1/tenants/${tenant.id}`, {
      name: 'Acme Trading',
    });
    expect(res.status).toBe(200);
    expect(res.body.tenant).toMatchObject({ id: tenant.id, slug: 'acme', name: 'Acme Trading' });
    const slug = await t.api.request('PATCH', `/api/v1/tenants/${tenant.id}`, { slug: 'x' });
    expect(slug.status).toBe(400);
    const empty = await t.api.request('PATCH', `/api/v1/tenants/${tenant.id}`, { name: '' });
    expect(empty.body.error).toMatchObject({ details: { field: 'name' } });
  });

  it('deletes a tenant only when it holds nothing, and never the default one', async () => {
    const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug: 'shortlived',
      name: 'Short lived',
    });
    const { id: branchId } = await newBranch('only', 'shortlived');
    const refused = await t.api.request('DELETE', `/api/v1/tenants/${tenant.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'BW_ERR_TENANT_IN_USE',
      details: { branches: 1, users: 0, tickets: 0 },
    });
    expect((await t.api.request('DELETE', `/api/v1/branches/${branchId}`)).status).toBe(204);
    expect((await t.api.request('DELETE', `/api/v1/tenants/${tenant.id}`)).status).toBe(204);
    expect(await db('tenants').where({ id: tenant.id }).first()).toBeUndefined();

    const fallback = await db('tenants').where({ slug: 'default' }).first('id');
    const kept = await t.api.request('DELETE', `/api/v1/tenants/${fallback.id}`);
    expect(kept.status).toBe(409);
    expect(kept.body.error).toMatchObject({
      code: 'BW_ERR_TENANT_IN_USE',
      details: { default: true },
    });
  });

  it('lets only global admins touch tenants', async () => {
    const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug: 'guarded',
      name: 'Guarded',
    });
    await t.api.post('/api/v1/users', {
      username: 'guarded-admin',
      password: 'guarded-password-123',
      role: 'tenant_admin',
      tenantId: tenant.id,
    });
    const tenantAdmin = new ApiClient(t.api.baseUrl);
    await tenantAdmin.login('guarded-admin', 'guarded-password-123');
    const rename = await tenantAdmin.request('PATCH', `/api/v1/tenants/${tenant.id}`, {
      name: 'Mine now',
    });
    expect(rename.status).toBe(403);
    expect((await tenantAdmin.request('DELETE', `/api/v1/tenants/${tenant.id}`)).status).toBe(403);
    expect(await db('tenants').where({ id: tenant.id }).first('name')).toEqual({
      name: 'Guarded',
    });
  });
});
