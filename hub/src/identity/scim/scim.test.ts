import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * SCIM 2.0 provisioning against a real hub, driven by a client of the test's own that sends
 * the requests of RFC 7644's examples (§3.3, §3.4.2, §3.5.1, §3.5.2, §3.6) as a directory
 * would, with the spellings Entra ID uses ("Replace", "False").
 */

const PASSWORD = 'scim-admin-password-1';
let t: TestHub;
let db: Database;

/** A SCIM client: bearer token, `application/scim+json` both ways. */
class ScimClient {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async send(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.base}/scim/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/scim+json',
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      location: res.headers.get('location'),
      body: (text ? JSON.parse(text) : undefined) as ScimBody,
    };
  }
}

/** The parts of SCIM answers the test reads field by field. */
interface ScimBody {
  id: string;
  active?: boolean;
  meta: { location: string };
  totalResults: number;
  Resources: { id: string; members?: unknown }[];
  members: { value: string }[];
  [key: string]: unknown;
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface Tenant {
  id: string;
  admin: ApiClient;
  scim: ScimClient;
}
let alpha: Tenant;
let bravo: Tenant;

async function tenant(slug: string): Promise<Tenant> {
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug,
  });
  await t.api.post('/api/v1/users', {
    username: `${slug}-admin`,
    password: PASSWORD,
    role: 'tenant_admin',
    tenantId: tenant.id,
  });
  const admin = new ApiClient(t.api.baseUrl);
  await admin.login(`${slug}-admin`, PASSWORD);
  const { token } = await admin.post<{ token: { token: string } }>('/api/v1/scim/tokens', {
    name: 'Entra ID',
  });
  return { id: tenant.id, admin, scim: new ScimClient(t.api.baseUrl, token.token) };
}

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

/** RFC 7644 §3.3's example user, with a name of the test's choosing. */
const bjensen = (userName: string) => ({
  schemas: [USER],
  userName,
  externalId: userName,
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }],
});

describe('SCIM Users', () => {
  let id: string;

  it('creates a user (§3.3) and finds it by userName (§3.4.2)', async () => {
    const created = await alpha.scim.send('POST', '/Users', bjensen('bjensen'));
    expect(created.status).toBe(201);
    expect(created.type).toMatch(/^application\/scim\+json/);
    expect(created.body).toMatchObject({
      schemas: [USER],
      userName: 'bjensen',
      externalId: 'bjensen',
      active: true,
      name: { familyName: 'Jensen', givenName: 'Barbara' },
      meta: { resourceType: 'User' },
    });
    id = created.body.id;
    expect(created.location).toBe(`${t.api.baseUrl}/scim/v2/Users/${id}`);
    expect(created.body.meta.location).toBe(created.location);

    const found = await alpha.scim.send(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "bjensen"')}`,
    );
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      startIndex: 1,
      Resources: [{ id, userName: 'bjensen' }],
    });
    // Case does not matter in userName (RFC 7643 §4.1.1: caseExact false).
    const upper = await alpha.scim.send(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "BJENSEN"')}`,
    );
    expect(upper.body.totalResults).toBe(1);
    const none = await alpha.scim.send(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "nobody"')}`,
    );
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });

    // In the hub: a viewer of the tenant, made by the directory, with no usable password.
    const row = await db('users').where({ id }).first();
    expect(row).toMatchObject({ tenant_id: alpha.id, role: 'viewer', provisioned_by: 'scim' });
    const login = await new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
      username: 'bjensen',
      password: '',
    });
    expect(login.status).toBe(400);
  });

  it('refuses a userName that is taken, and never takes over a local account', async () => {
    const again = await alpha.scim.send('POST', '/Users', bjensen('bjensen'));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      schemas: [ERROR],
      status: '409',
      scimType: 'uniqueness',
      detail: expect.any(String),
    });
    const local = await alpha.scim.send('POST', '/Users', bjensen('alpha-admin'));
    expect(local.status).toBe(409);
    expect(
      (await db('users').where({ username: 'alpha-admin' }).first()).provisioned_by,
    ).toBeNull();
  });

  it('replaces (§3.5.1) and patches (§3.5.2) the user, each change audited with before and after', async () => {
    const replaced = await alpha.scim.send('PUT', `/Users/${id}`, {
      ...bjensen('bjensen'),
      name: { givenName: 'Babs', familyName: 'Jensen' },
      displayName: 'Babs Jensen',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      displayName: 'Babs Jensen',
      name: { givenName: 'Babs' },
    });

    const patched = await alpha.scim.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'name.familyName', value: 'Jensen-Smith' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'babs@example.com' },
        { op: 'replace', value: { displayName: 'Babs J-S' } },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      displayName: 'Babs J-S',
      name: { givenName: 'Babs', familyName: 'Jensen-Smith' },
      emails: [{ value: 'babs@example.com', type: 'work' }],
      active: true,
    });
    const entries = await db('audit_log')
      .where({ target: `user:${id}` })
      .whereLike('action', 'scim.%')
      .orderBy('seq');
    expect(entries.map((e) => e.action)).toEqual([
      'scim.user_created',
      'scim.user_updated',
      'scim.user_updated',
    ]);
    expect(entries[2].details).toMatchObject({
      via: 'scim',
      before: { displayName: 'Babs Jensen' },
      after: { displayName: 'Babs J-S' },
    });
    expect(entries[2].tenant_id).toBe(alpha.id);
  });

  it('deactivates the user: their sessions and tokens end at once', async () => {
    // The person got a password from an admin (a break-glass path) and signed in.
    const setPassword = await alpha.admin.request('PATCH', `/api/v1/users/${id}`, {
      password: 'babs-own-password-1',
    });
    expect(setPassword.status).toBe(200);
    const babs = new ApiClient(t.api.baseUrl);
    await babs.login('bjensen', 'babs-own-password-1');
    const { token } = await babs.post<{ token: string }>('/api/v1/auth/tokens', {
      name: 'script',
      scopes: ['inventory.read'],
    });
    const script = new ApiClient(t.api.baseUrl);
    (script as unknown as { token: string }).token = token;
    expect((await babs.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await script.request('GET', '/api/v1/branches')).status).toBe(200);

    // As Entra ID sends it.
    const off = await alpha.scim.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await babs.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await script.request('GET', '/api/v1/branches')).status).toBe(401);
    const again = await new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
      username: 'bjensen',
      password: 'babs-own-password-1',
    });
    expect(again.status).toBe(403);
    expect(
      await db('audit_log')
        .where({ target: `user:${id}`, action: 'scim.user_deactivated' })
        .first(),
    ).toBeTruthy();

    const on = await alpha.scim.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(on.body.active).toBe(true);
  });

  it("another tenant's token neither sees nor changes the user", async () => {
    const list = await bravo.scim.send('GET', '/Users');
    expect(list.body.Resources.map((u: { id: string }) => u.id)).not.toContain(id);
    expect((await bravo.scim.send('GET', `/Users/${id}`)).status).toBe(404);
    const patch = await bravo.scim.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(patch.status).toBe(404);
    expect((await bravo.scim.send('DELETE', `/Users/${id}`)).status).toBe(404);
    expect((await db('users').where({ id }).first()).disabled_at).toBeNull();
  });

  it('deletes the user (§3.6): gone from SCIM, disabled in the hub; the same userName comes back', async () => {
    const gone = await alpha.scim.send('DELETE', `/Users/${id}`);
    expect(gone.status).toBe(204);
    const after = await alpha.scim.send('GET', `/Users/${id}`);
    expect(after.status).toBe(404);
    expect(after.body).toMatchObject({ schemas: [ERROR], status: '404' });
    const row = await db('users').where({ id }).first();
    expect(row.disabled_at).not.toBeNull();
    expect(row.scim_deleted_at).not.toBeNull();
    const back = await alpha.scim.send('POST', '/Users', bjensen('bjensen'));
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ id, active: true });
  });
});

describe('SCIM Groups', () => {
  it('creates a group with members, adds, removes and replaces them (§3.5.2.1–3)', async () => {
    const a = (await alpha.scim.send('POST', '/Users', bjensen('jsmith'))).body.id as string;
    const b = (await alpha.scim.send('POST', '/Users', bjensen('mpepper'))).body.id as string;
    const created = await alpha.scim.send('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Tour Guides',
      members: [{ value: a, display: 'jsmith' }],
    });
    expect(created.status).toBe(201);
    const gid = created.body.id as string;
    expect(created.body.members).toEqual([
      { value: a, display: 'jsmith', $ref: `${t.api.baseUrl}/scim/v2/Users/${a}` },
    ]);
    const add = await alpha.scim.send('PATCH', `/Groups/${gid}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ display: 'mpepper', value: b }] }],
    });
    expect(add.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a, b].sort());
    const user = await alpha.scim.send('GET', `/Users/${b}`);
    expect(user.body.groups).toMatchObject([{ value: gid, display: 'Tour Guides' }]);

    const remove = await alpha.scim.send('PATCH', `/Groups/${gid}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${a}"]` }],
    });
    expect(remove.body.members.map((m: { value: string }) => m.value)).toEqual([b]);
    const replace = await alpha.scim.send('PATCH', `/Groups/${gid}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'members', value: [{ value: a }] }],
    });
    expect(replace.body.members.map((m: { value: string }) => m.value)).toEqual([a]);

    const byName = await alpha.scim.send(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "Tour Guides"')}&excludedAttributes=members`,
    );
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0]!.members).toBeUndefined();

    const entry = await db('audit_log')
      .where({ target: `scim_group:${gid}`, action: 'scim.group_updated' })
      .orderBy('seq', 'desc')
      .first();
    expect(entry.details).toMatchObject({ before: { members: [b] }, after: { members: [a] } });

    // Another tenant's user as a member is refused; another tenant sees no group.
    const bravoUser = (await bravo.scim.send('POST', '/Users', bjensen('bravo-guide'))).body.id;
    const foreign = await alpha.scim.send('PATCH', `/Groups/${gid}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: bravoUser }] }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ scimType: 'invalidValue' });
    expect((await bravo.scim.send('GET', `/Groups/${gid}`)).status).toBe(404);

    expect((await alpha.scim.send('DELETE', `/Groups/${gid}`)).status).toBe(204);
    expect((await alpha.scim.send('GET', `/Groups/${gid}`)).status).toBe(404);
  });
});

describe('SCIM requests the hub refuses', () => {
  it('without a token, with a session or a revoked token: 401', async () => {
    const bare = await fetch(`${t.api.baseUrl}/scim/v2/Users`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await bare.json()).toMatchObject({ schemas: [ERROR], status: '401' });
    // An admin's API session is no SCIM token.
    const session = await alpha.admin.request('GET', '/api/v1/auth/me');
    expect(session.status).toBe(200);
    const asAdmin = new ScimClient(
      t.api.baseUrl,
      (alpha.admin as unknown as { token: string }).token,
    );
    expect((await asAdmin.send('GET', '/Users')).status).toBe(401);

    const { token } = await alpha.admin.post<{ token: { id: string; token: string } }>(
      '/api/v1/scim/tokens',
      { name: 'short-lived' },
    );
    const shortLived = new ScimClient(t.api.baseUrl, token.token);
    expect((await shortLived.send('GET', '/Users')).status).toBe(200);
    // Bravo's admin cannot revoke it; alpha's can.
    expect((await bravo.admin.request('DELETE', `/api/v1/scim/tokens/${token.id}`)).status).toBe(
      404,
    );
    expect((await alpha.admin.request('DELETE', `/api/v1/scim/tokens/${token.id}`)).status).toBe(
      204,
    );
    expect((await shortLived.send('GET', '/Users')).status).toBe(401);
    const listed = await bravo.admin.get<{ items: { tenantId: string }[] }>('/api/v1/scim/tokens');
    expect(listed.items.every((x) => x.tenantId === bravo.id)).toBe(true);
  });

  it('a filter it does not support, bad values and unknown ids: 400 and 404 in SCIM form', async () => {
    const filter = await alpha.scim.send(
      'GET',
      `/Users?filter=${encodeURIComponent('emails co "x"')}`,
    );
    expect(filter.status).toBe(400);
    expect(filter.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidFilter' });
    const noName = await alpha.scim.send('POST', '/Users', { schemas: [USER] });
    expect(noName.status).toBe(400);
    expect(noName.body).toMatchObject({
      scimType: 'invalidValue',
      detail: expect.stringContaining('userName'),
    });
    const badOp = await alpha.scim.send(
      'PATCH',
      `/Users/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`,
      {
        schemas: [PATCH],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      },
    );
    expect(badOp.status).toBe(404);
    const notJson = await fetch(`${t.api.baseUrl}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer x`, 'content-type': 'application/scim+json' },
      body: '{',
    });
    expect(notJson.status).toBeLessThan(500);
    const config = await alpha.scim.send('GET', '/ServiceProviderConfig');
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true } });
  });
});
