import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import {
  oidcSignIn,
  startOidcProvider,
  type TestOidcProvider,
} from '../../../../test/support/oidc-provider.js';
import { tenantWithBranches, whoIs } from '../../../../test/support/sso-people.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * Admin roles signing in through a tenant's OpenID provider (`oidc-provider` on loopback) are
 * held to the same rules as with a password: a role in BW_MFA_REQUIRED_ROLES gets the hub's
 * TOTP whether or not the tenant trusts its provider's MFA — unless the trusted provider proved
 * MFA — and the tenant's limit of concurrent sessions for admin roles ends the oldest one.
 */

let t: TestHub;
let db: Database;
let op: TestOidcProvider;
let tenantId: string;
let providerId: string;
let hubUrl: string;

const provider = (trustMfa: boolean) => ({
  kind: 'oidc',
  name: 'Staff ID',
  settings: { issuer: op.issuer, clientId: 'hub-roles' },
  trustMfa,
  rules: [
    { claim: 'groups', value: 'admins', role: 'tenant_admin' },
    { claim: 'groups', value: 'staff', role: 'viewer' },
  ],
});

/** Where the hub sends a person who must enrol in its TOTP first (the login's second step). */
const enrolment = /^http:\/\/127\.0\.0\.1:\d+\/login#enrol=.+/;

beforeAll(async () => {
  t = await startTestHub({ BW_MFA_REQUIRED_ROLES: 'tenant_admin' });
  hubUrl = t.api.baseUrl;
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  op = await startOidcProvider();
  tenantId = (await tenantWithBranches(t.api, 'roles', ['roles-hq'])).id;
  const res = await t.api.request('POST', '/api/v1/identity-providers', {
    ...provider(false),
    tenantId,
    clientSecret: 'secret-of-roles',
  });
  expect(res.status).toBe(201);
  const made = res.body.provider as { id: string; redirectUrl: string };
  providerId = made.id;
  op.configure({
    clientId: 'hub-roles',
    clientSecret: 'secret-of-roles',
    redirectUri: made.redirectUrl,
    postLogoutRedirectUri: `${hubUrl}/login`,
  });
  op.people.set('ava', { email: 'ava@roles.example', groups: ['admins'] });
  op.people.set('sam', { email: 'sam@roles.example', groups: ['staff'] });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await op?.stop();
});

describe('admin roles signing in through a provider', () => {
  it('asks an admin role for the hub’s TOTP when the tenant does not trust the provider’s MFA', async () => {
    const staff = await oidcSignIn(hubUrl, op, providerId, 'sam');
    expect(staff.location).toBe(`${hubUrl}/`);
    const admin = await oidcSignIn(hubUrl, op, providerId, 'ava');
    expect(admin.location).toMatch(enrolment);
    expect((await whoIs(hubUrl, admin.hub)).status).toBe(401);
  });

  it('takes the trusted provider’s proven MFA for an admin role, and asks when it is not proven', async () => {
    const put = await t.api.request(
      'PUT',
      `/api/v1/identity-providers/${providerId}`,
      provider(true),
    );
    expect(put.status).toBe(200);
    op.people.set('ava', { email: 'ava@roles.example', groups: ['admins'], amr: ['pwd', 'mfa'] });
    const proven = await oidcSignIn(hubUrl, op, providerId, 'ava');
    expect(proven.location).toBe(`${hubUrl}/`);
    expect((await whoIs(hubUrl, proven.hub)).body.user).toMatchObject({ role: 'tenant_admin' });
    op.people.set('ava', { email: 'ava@roles.example', groups: ['admins'], amr: ['pwd'] });
    expect((await oidcSignIn(hubUrl, op, providerId, 'ava')).location).toMatch(enrolment);
  });

  it('holds an admin role to the tenant’s limit of concurrent sessions', async () => {
    const policy = await t.api.request('PUT', '/api/v1/password-policy', {
      tenantId,
      minLength: 12,
      refuseCommon: true,
      history: 5,
      adminMaxSessions: 1,
    });
    expect(policy.status).toBe(200);
    op.people.set('ava', { email: 'ava@roles.example', groups: ['admins'], amr: ['mfa'] });
    const first = await oidcSignIn(hubUrl, op, providerId, 'ava');
    expect((await whoIs(hubUrl, first.hub)).status).toBe(200);
    const second = await oidcSignIn(hubUrl, op, providerId, 'ava');
    expect((await whoIs(hubUrl, second.hub)).status).toBe(200);
    // The older session ended at the newer sign-in.
    expect((await whoIs(hubUrl, first.hub)).status).toBe(401);
    const user = (await db('users').where({ username: 'ava@roles.example' }).first('id')) as {
      id: string;
    };
    const ended = await db('audit_log')
      .where({ action: 'auth.session_revoked', target: `user:${user.id}` })
      .first('details');
    expect(ended.details).toMatchObject({ reason: 'session limit' });
    // The viewer is not limited (the trusted provider proves MFA for them too).
    op.people.set('sam', { email: 'sam@roles.example', groups: ['staff'], amr: ['mfa'] });
    const a = await oidcSignIn(hubUrl, op, providerId, 'sam');
    await oidcSignIn(hubUrl, op, providerId, 'sam');
    expect((await whoIs(hubUrl, a.hub)).status).toBe(200);
  });
});
