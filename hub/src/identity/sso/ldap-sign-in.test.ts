import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slapd } from '../../../../test/peers/slapd.js';
import {
  SERVICE_PASSWORD,
  startDirectory,
  type TestDirectory,
} from '../../../../test/support/directory.js';
import { ApiClient } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';
import { freeLoopbackPort } from '../../index.js';

/**
 * Signing in through a tenant's LDAP directory, against Debian's slapd on loopback: the hub's
 * login finds the person with the service account and binds as them; a just-in-time user gets
 * the role and branches of the mapping rules at every sign-in (audited before/after); a person
 * the directory drops or whose groups map to nothing loses access and their sessions; the
 * tenant's "sign in through the provider" rule leaves only break-glass accounts a password.
 */

let directory: TestDirectory;
let slapd: Slapd;
let t: TestHub;
let db: Database;
let tenantId: string;
let branchId: string;
let admin: ApiClient;
let providerId: string;
const PASSWORD = 'ldap-admin-password-1';

const people = () => directory.people;
const personDn = (uid: string) => directory.personDn(uid);

const member = (operation: 'add' | 'delete', group: string, uid: string) =>
  directory.member(operation, group, uid);

const ldapProvider = (over: Record<string, unknown> = {}) => ({
  kind: 'ldap',
  name: 'Head office directory',
  domains: ['example.org'],
  settings: {
    url: slapd.url,
    bindDn: `cn=hub-reader,ou=services,${slapd.suffix}`,
    userBaseDn: people(),
    userFilter: '(&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))',
    groupLookup: 'memberOf',
  },
  bindPassword: SERVICE_PASSWORD,
  rules: [
    { claim: 'groups', value: 'NOC Staff', role: 'noc_operator' },
    { claim: 'groups', value: 'Support Tehran', role: 'support_agent', branchIds: [branchId] },
  ],
  ...over,
});

async function signIn(username: string, password: string, extra: Record<string, unknown> = {}) {
  const client = new ApiClient(t.api.baseUrl);
  const res = await client.request('POST', '/api/v1/auth/login', {
    username,
    password,
    ...extra,
  });
  if (res.status === 200)
    (client as unknown as { token: string }).token = (res.body as { token: string }).token;
  return { res, client };
}

const me = async (c: ApiClient) => c.request('GET', '/api/v1/auth/me');

beforeAll(async () => {
  directory = await startDirectory({
    people: [
      { uid: 'ali', name: 'Ali Rahimi' },
      { uid: 'sara', name: 'Sara Karimi' },
      { uid: 'reza', name: 'Reza Moradi' },
    ],
    groups: [
      // groupOfNames needs a member: the service account stays in each, so people can leave.
      { cn: 'NOC Staff', members: ['service', 'ali'] },
      { cn: 'Support Tehran', members: ['service', 'sara'] },
      // Reza is in no group the rules name.
      { cn: 'Visitors', members: ['reza'] },
    ],
  });
  slapd = directory.slapd;

  t = await startTestHub();
  db = connectDatabase(t.databaseUrl);
  tenantId = (
    await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', { slug: 'acme', name: 'Acme' })
  ).tenant.id;
  branchId = (
    await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'acme-tehran',
      tenant: 'acme',
    })
  ).branch.id;
  await t.api.post('/api/v1/users', {
    username: 'acme-admin',
    password: PASSWORD,
    role: 'tenant_admin',
    tenantId,
  });
  admin = new ApiClient(t.api.baseUrl);
  await admin.login('acme-admin', PASSWORD);
  const res = await admin.request('POST', '/api/v1/identity-providers', ldapProvider());
  expect(res.status).toBe(201);
  providerId = (res.body.provider as { id: string }).id;
}, 90_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await directory?.stop();
});

describe('the LDAP provider', () => {
  it('keeps the service account password sealed, never answered or audited', async () => {
    const res = await admin.request('GET', `/api/v1/identity-providers/${providerId}`);
    expect(res.body.provider).toMatchObject({ kind: 'ldap', hasSecret: true });
    const stored = await db('identity_providers').where({ id: providerId }).first();
    expect(stored.secret_sealed).toMatch(/^v1:/);
    const audit = await db('audit_log').where('action', 'like', 'sso.%');
    expect(JSON.stringify([res.body, stored.settings, audit])).not.toContain(SERVICE_PASSWORD);
  });

  it('refuses settings that cannot work, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'http://directory.example.org' }, 'settings.url'],
      [{ userFilter: '(uid=ali)' }, 'settings.userFilter'],
      [{ url: 'ldaps://127.0.0.1:636', startTls: true }, 'settings.startTls'],
      [{ caPem: 'not a certificate' }, 'settings.caPem'],
    ];
    for (const [settings, field] of cases) {
      const body = ldapProvider({ name: 'x', domains: [] });
      const res = await admin.request('POST', '/api/v1/identity-providers', {
        ...body,
        settings: { ...(body.settings as object), ...settings },
      });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const noSecret = await admin.request(
      'POST',
      '/api/v1/identity-providers',
      ldapProvider({ name: 'x', domains: [], bindPassword: undefined }),
    );
    expect(noSecret.status).toBe(400);
    expect(JSON.stringify(noSecret.body)).toContain('bindPassword');
  });
});

describe('signing in through the directory', () => {
  it('makes the person at their first sign-in with the role and branches their groups map to', async () => {
    const { res, client } = await signIn('ali@example.org', 'ali-directory-password');
    expect(res.status).toBe(200);
    expect((await me(client)).body.user).toMatchObject({
      username: 'ali@example.org',
      role: 'noc_operator',
    });
    const user = await db('users').where({ username: 'ali@example.org' }).first();
    expect(user).toMatchObject({
      provisioned_by: 'ldap',
      email: 'ali@example.org',
      tenant_id: tenantId,
    });
    const link = await db('user_identities').where({ user_id: user.id }).first();
    expect(link).toMatchObject({ provider_id: providerId, subject: personDn('ali') });

    // By the provider the login page names, with the directory's own name for the person.
    const sara = await signIn('sara', 'sara-directory-password', { providerId });
    expect(sara.res.status).toBe(200);
    expect((await me(sara.client)).body.user).toMatchObject({ role: 'support_agent' });
    const saraUser = await db('users').where({ username: 'sara@example.org' }).first();
    const branches = await db('user_branches').where({ user_id: saraUser.id }).pluck('branch_id');
    expect(branches).toEqual([branchId]);

    const made = await db('audit_log').where({ action: 'sso.user_provisioned' }).orderBy('seq');
    expect(made).toHaveLength(2);
    expect(made[0].details).toMatchObject({
      provider: providerId,
      before: null,
      after: { role: 'noc_operator', branchIds: [] },
    });
    const logins = await db('audit_log')
      .where({ action: 'auth.login', target: `user:${user.id}` })
      .first();
    expect(logins.details).toEqual({ provider: providerId, kind: 'ldap' });
  });

  it('answers a wrong password, an unknown name and a person without groups without telling which', async () => {
    const wrong = await signIn('ali@example.org', 'not-the-password');
    const unknown = await signIn('nobody@example.org', 'whatever-password');
    expect([wrong.res.status, unknown.res.status]).toEqual([401, 401]);
    expect(wrong.res.body).toEqual(unknown.res.body);
    // Reza's password is right but no rule maps his groups and the provider has no default.
    const reza = await signIn('reza@example.org', 'reza-directory-password');
    expect(reza.res.status).toBe(403);
    expect(reza.res.body).toMatchObject({ error: { code: 'BW_ERR_SSO_NO_ROLE' } });
    expect(await db('users').where({ username: 'reza@example.org' }).first()).toBeUndefined();
    const failures = await db('audit_log')
      .where({ action: 'auth.login_failed', tenant_id: tenantId })
      .orderBy('seq');
    expect(failures.map((f: { details: { reason: string } }) => f.details.reason)).toEqual([
      'invalid_credentials',
      'not_in_directory',
      'no_role',
    ]);
  });

  it('maps a group change at the directory at the next sign-in, audited with before and after', async () => {
    await member('delete', 'NOC Staff', 'ali');
    await member('add', 'Support Tehran', 'ali');
    const { res, client } = await signIn('ali@example.org', 'ali-directory-password');
    expect(res.status).toBe(200);
    expect((await me(client)).body.user).toMatchObject({ role: 'support_agent' });
    const changed = await db('audit_log').where({ action: 'sso.role_changed' }).first();
    expect(changed.details).toMatchObject({
      before: { role: 'noc_operator', branchIds: [] },
      after: { role: 'support_agent', branchIds: [branchId] },
    });
  });

  it('takes access away when the groups map to nothing, ending the sessions, and gives it back', async () => {
    const { client: held } = await signIn('ali@example.org', 'ali-directory-password');
    expect((await me(held)).status).toBe(200);
    await member('delete', 'Support Tehran', 'ali');
    const refused = await signIn('ali@example.org', 'ali-directory-password');
    expect(refused.res.status).toBe(403);
    expect((await me(held)).status).toBe(401);
    const user = await db('users').where({ username: 'ali@example.org' }).first();
    expect(user.disabled_at).not.toBeNull();
    const revoked = await db('audit_log').where({ action: 'sso.access_revoked' }).first();
    expect(revoked.details).toMatchObject({ reason: 'no_role', after: null });

    await member('add', 'NOC Staff', 'ali');
    const back = await signIn('ali@example.org', 'ali-directory-password');
    expect(back.res.status).toBe(200);
    expect((await me(back.client)).body.user).toMatchObject({ role: 'noc_operator' });
  });

  it('takes access away from a person removed from the directory at their next attempt', async () => {
    const { client: held } = await signIn('sara', 'sara-directory-password', { providerId });
    expect((await me(held)).status).toBe(200);
    await directory.asRoot((c) => c.del(personDn('sara')));
    const gone = await signIn('sara', 'sara-directory-password', { providerId });
    expect(gone.res.status).toBe(401);
    expect((await me(held)).status).toBe(401);
    const user = await db('users').where({ username: 'sara@example.org' }).first();
    expect(user.disabled_at).not.toBeNull();
    const revoked = await db('audit_log')
      .where({ action: 'sso.access_revoked', target: `user:${user.id}` })
      .first();
    expect(revoked.details).toMatchObject({ reason: 'not_in_directory' });
  });

  it('speaks LDAPS with the directory CA, and says when the directory does not answer', async () => {
    const body = ldapProvider();
    const put = await admin.request('PUT', `/api/v1/identity-providers/${providerId}`, {
      ...body,
      bindPassword: undefined,
      settings: { ...body.settings, url: slapd.ldapsUrl, caPem: slapd.certificates.ca },
    });
    expect(put.status).toBe(200);
    expect((await signIn('ali@example.org', 'ali-directory-password')).res.status).toBe(200);

    const closed = await freeLoopbackPort();
    await admin.request('PUT', `/api/v1/identity-providers/${providerId}`, {
      ...body,
      bindPassword: undefined,
      settings: { ...body.settings, url: `ldap://127.0.0.1:${closed}`, timeoutSeconds: 2 },
    });
    const down = await signIn('ali@example.org', 'ali-directory-password');
    expect(down.res.status).toBe(503);
    expect(down.res.body).toMatchObject({ error: { code: 'BW_ERR_DIRECTORY_UNAVAILABLE' } });
    // The person keeps their account: the hub's side failed, not theirs.
    const user = await db('users').where({ username: 'ali@example.org' }).first();
    expect(user.disabled_at).toBeNull();
    await admin.request('PUT', `/api/v1/identity-providers/${providerId}`, {
      ...body,
      bindPassword: undefined,
    });
  });
});

describe("an admin's test of the provider", () => {
  it('shows the groups the directory answers and what they would map to, changing nothing', async () => {
    const test = (username: string, password: string) =>
      admin.request('POST', `/api/v1/identity-providers/${providerId}/test`, {
        username,
        password,
      });
    const before = await db('audit_log').count<{ count: string }[]>('* as count');
    const reza = await test('reza', 'reza-directory-password');
    expect(reza.status).toBe(200);
    expect(reza.body).toEqual({
      outcome: 'ok',
      person: {
        dn: personDn('reza'),
        email: 'reza@example.org',
        displayName: 'Reza Moradi',
        groups: ['Visitors'],
      },
      mapped: null,
    });
    const ali = await test('ali', 'ali-directory-password');
    expect(ali.body).toMatchObject({
      outcome: 'ok',
      mapped: { role: 'noc_operator', branchIds: [] },
    });
    expect((await test('ali', 'wrong')).body).toMatchObject({ outcome: 'invalid_credentials' });
    expect((await test('nobody', 'x')).body).toMatchObject({ outcome: 'not_found' });
    expect(await db('users').where({ username: 'reza@example.org' }).first()).toBeUndefined();
    const after = await db('audit_log').count<{ count: string }[]>('* as count');
    expect(after[0]!.count).toBe(before[0]!.count);
  });
});

describe('a tenant that requires its provider', () => {
  it('lets only break-glass accounts sign in with a password of the hub', async () => {
    await t.api.post('/api/v1/users', {
      username: 'acme-agent',
      password: PASSWORD,
      role: 'support_agent',
      tenantId,
    });
    const settings = (body: Record<string, unknown>) =>
      admin.request('PUT', '/api/v1/sign-in-settings', body);
    const acmeAdmin = await db('users').where({ username: 'acme-admin' }).first('id');
    const ali = await db('users').where({ username: 'ali@example.org' }).first('id');
    // Nobody left to mend a broken provider, or a directory person as break-glass: refused.
    const alone = await settings({ ssoRequired: true, breakGlassUserIds: [] });
    expect(alone.status).toBe(400);
    expect(alone.body).toMatchObject({ error: { details: { field: 'breakGlassUserIds' } } });
    const directoryPerson = await settings({ ssoRequired: false, breakGlassUserIds: [ali.id] });
    expect(directoryPerson.status).toBe(400);
    const on = await settings({ ssoRequired: true, breakGlassUserIds: [acmeAdmin.id] });
    expect(on.status).toBe(200);
    expect(on.body.settings).toEqual({
      tenantId,
      ssoRequired: true,
      breakGlassUserIds: [acmeAdmin.id],
    });
    const changed = await db('audit_log').where({ action: 'sso.sign_in_settings_changed' }).first();
    expect(changed.details).toEqual({
      before: { ssoRequired: false, breakGlassUserIds: [] },
      after: { ssoRequired: true, breakGlassUserIds: [acmeAdmin.id] },
    });
    const local = await signIn('acme-agent', PASSWORD);
    expect(local.res.status).toBe(403);
    expect(local.res.body).toMatchObject({ error: { code: 'BW_ERR_SSO_REQUIRED' } });
    // A wrong password still says only that it is wrong.
    expect((await signIn('acme-agent', 'wrong-password-1')).res.status).toBe(401);
    // The directory still signs people in.
    expect((await signIn('ali@example.org', 'ali-directory-password')).res.status).toBe(200);

    const glass = await signIn('acme-admin', PASSWORD);
    expect(glass.res.status).toBe(200);
    const entry = await db('audit_log')
      .where({ action: 'auth.login' })
      .orderBy('seq', 'desc')
      .first();
    expect(entry.details).toEqual({ breakGlass: true });
    expect((await settings({ ssoRequired: false, breakGlassUserIds: [] })).status).toBe(200);
  });
});
