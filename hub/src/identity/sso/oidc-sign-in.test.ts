import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import {
  CookieJar,
  oidcSignIn,
  startOidcProvider,
  step,
  type TestOidcProvider,
} from '../../../../test/support/oidc-provider.js';
import { connectDatabase, type Database } from '../../db/database.js';
import {
  branchesOf,
  tenantWithBranches,
  userNamed,
  whoIs,
} from '../../../../test/support/sso-people.js';

/**
 * Sign-in through OpenID Connect against a real OpenID Provider (`oidc-provider`) on loopback:
 * authorization code with PKCE, state and nonce, the signed ID token checked by
 * `openid-client`; the person made at their first login with the role and branches their
 * groups map to, mapped again at every login, refused with their sessions ended once nothing
 * maps; the hub's TOTP when the trusted provider does not prove MFA; another tenant's provider
 * never signs anyone into this tenant; the provider's logout after the hub's.
 */

let t: TestHub;
let db: Database;
let opA: TestOidcProvider;
let opB: TestOidcProvider;
let tenantA: string;
let tenantB: string;
let branchA1: string;
let branchA2: string;
let providerA: string;
let providerB: string;
let hubUrl: string;

async function addProvider(
  op: TestOidcProvider,
  tenantId: string,
  over: Record<string, unknown>,
): Promise<string> {
  const res = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'oidc',
    tenantId,
    settings: { issuer: op.issuer, clientId: `hub-${tenantId}` },
    clientSecret: `secret-of-${tenantId}`,
    ...over,
  });
  expect(res.status).toBe(201);
  const provider = res.body.provider as { id: string; redirectUrl: string };
  op.configure({
    clientId: `hub-${tenantId}`,
    clientSecret: `secret-of-${tenantId}`,
    redirectUri: provider.redirectUrl,
    postLogoutRedirectUri: `${hubUrl}/login`,
  });
  return provider.id;
}

/** A browser's way through: the hub, the provider's sign-in page, back to the hub. */
const signIn = (op: TestOidcProvider, providerId: string, login: string) =>
  oidcSignIn(hubUrl, op, providerId, login);

beforeAll(async () => {
  t = await startTestHub();
  hubUrl = t.api.baseUrl;
  db = connectDatabase(t.databaseUrl);
  [opA, opB] = await Promise.all([startOidcProvider(), startOidcProvider()]);
  const a = await tenantWithBranches(t.api, 'north', ['north-hq', 'north-depot']);
  const b = await tenantWithBranches(t.api, 'south', ['south-hq']);
  tenantA = a.id;
  tenantB = b.id;
  [branchA1, branchA2] = a.branches as [string, string];
  providerA = await addProvider(opA, tenantA, {
    name: 'North ID',
    domains: ['north.example'],
    rules: [
      { claim: 'groups', value: 'noc', role: 'noc_operator', branchIds: [branchA1] },
      { claim: 'groups', value: 'support', role: 'support_agent', branchIds: [branchA2] },
    ],
  });
  providerB = await addProvider(opB, tenantB, {
    name: 'South ID',
    domains: ['south.example'],
    defaultRole: 'viewer',
  });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await opA?.stop();
  await opB?.stop();
});

describe('OpenID Connect sign-in', () => {
  it('makes the person at their first login with the role and branches their groups map to', async () => {
    opA.people.set('nadia', { email: 'nadia@north.example', groups: ['noc'] });
    const { hub, location } = await signIn(opA, providerA, 'nadia');
    expect(location).toBe(`${hubUrl}/`);
    const who = await whoIs(hubUrl, hub);
    expect(who.status).toBe(200);
    expect(who.body.user).toMatchObject({ username: 'nadia@north.example', role: 'noc_operator' });
    const user = (await userNamed(db, 'nadia@north.example'))!;
    expect(user.tenant_id).toBe(tenantA);
    expect(await branchesOf(db, user.id)).toEqual([branchA1]);
    const created = await db('audit_log')
      .where({ action: 'sso.user_provisioned', target: `user:${user.id}` })
      .first('details');
    expect(created.details).toMatchObject({
      provider: providerA,
      after: { role: 'noc_operator', branchIds: [branchA1] },
    });
  });

  it('maps again at every login: a group change at the provider changes the role, audited', async () => {
    opA.people.set('nadia', { email: 'nadia@north.example', groups: ['support', 'noc'] });
    const { hub } = await signIn(opA, providerA, 'nadia');
    // The first matching rule gives the role, every matching rule's branches together.
    const user = (await userNamed(db, 'nadia@north.example'))!;
    expect((await whoIs(hubUrl, hub)).body.user).toMatchObject({ role: 'noc_operator' });
    expect(await branchesOf(db, user.id)).toEqual([branchA1, branchA2].sort());
    opA.people.set('nadia', { email: 'nadia@north.example', groups: ['support'] });
    const again = await signIn(opA, providerA, 'nadia');
    expect((await whoIs(hubUrl, again.hub)).body.user).toMatchObject({ role: 'support_agent' });
    expect(await branchesOf(db, user.id)).toEqual([branchA2]);
    const change = await db('audit_log')
      .where({ action: 'sso.role_changed', target: `user:${user.id}` })
      .orderBy('seq', 'desc')
      .first('details');
    expect(change.details).toMatchObject({
      before: { role: 'noc_operator', branchIds: [branchA1, branchA2].sort() },
      after: { role: 'support_agent', branchIds: [branchA2] },
    });
  });

  it('refuses a person the provider no longer lets in, and ends the sessions they hold', async () => {
    opA.people.set('omid', { email: 'omid@north.example', groups: ['noc'] });
    const first = await signIn(opA, providerA, 'omid');
    expect((await whoIs(hubUrl, first.hub)).status).toBe(200);
    opA.people.set('omid', { email: 'omid@north.example', groups: ['marketing'] });
    const refused = await signIn(opA, providerA, 'omid');
    expect(refused.location).toBe(`${hubUrl}/login?sso=no-role`);
    expect((await whoIs(hubUrl, first.hub)).status).toBe(401);
    const user = (await userNamed(db, 'omid@north.example'))!;
    expect(
      await db('audit_log').where({ action: 'sso.access_revoked', target: `user:${user.id}` }),
    ).toHaveLength(1);
    // Once refused, the login says so again rather than letting the person in.
    expect((await signIn(opA, providerA, 'omid')).location).toBe(`${hubUrl}/login?sso=no-role`);
  });

  it('sends the person to the hub’s TOTP when the trusted provider does not prove MFA', async () => {
    const put = await t.api.request('PUT', `/api/v1/identity-providers/${providerA}`, {
      kind: 'oidc',
      name: 'North ID',
      domains: ['north.example'],
      settings: { issuer: opA.issuer, clientId: `hub-${tenantA}` },
      trustMfa: true,
      rules: [{ claim: 'groups', value: 'noc', role: 'noc_operator', branchIds: [branchA1] }],
    });
    expect(put.status).toBe(200);
    opA.people.set('parisa', { email: 'parisa@north.example', groups: ['noc'], amr: ['pwd'] });
    const without = await signIn(opA, providerA, 'parisa');
    expect(without.location).toMatch(new RegExp(`^${hubUrl}/login#enrol=.+`));
    expect((await whoIs(hubUrl, without.hub)).status).toBe(401);
    // The enrolment ticket works at the login's second step, as after a password.
    const ticket = decodeURIComponent(without.location.split('#enrol=')[1]!);
    const enrol = await new ApiClient(hubUrl).request('POST', '/api/v1/auth/login/enrol', {
      ticket,
    });
    expect(enrol.status).toBe(200);
    expect(enrol.body.secret).toBeTruthy();

    opA.people.set('parisa', {
      email: 'parisa@north.example',
      groups: ['noc'],
      amr: ['pwd', 'otp'],
    });
    const proven = await signIn(opA, providerA, 'parisa');
    expect(proven.location).toBe(`${hubUrl}/`);
    expect((await whoIs(hubUrl, proven.hub)).body.user).toMatchObject({ role: 'noc_operator' });
  });

  it('never signs anyone into a tenant through another tenant’s provider', async () => {
    // A person whose address is in tenant A's domain, signed in by tenant B's provider, is a
    // person of tenant B: the provider's tenant decides, never the address.
    opB.people.set('mallory', { email: 'mallory@north.example', groups: ['noc'] });
    const { hub } = await signIn(opB, providerB, 'mallory');
    // And one whose address is a person's of tenant A is refused, never given that account.
    opB.people.set('eve', { email: 'nadia@north.example', groups: ['noc'] });
    expect((await signIn(opB, providerB, 'eve')).location).toBe(`${hubUrl}/login?sso=refused`);
    const who = await whoIs(hubUrl, hub);
    expect(who.body.user).toMatchObject({ role: 'viewer' });
    const made = (await db('users')
      .where({ id: who.body.user!.id as string })
      .first('tenant_id')) as { tenant_id: string };
    expect(made.tenant_id).toBe(tenantB);

    // Tenant B's answer (its code and state) taken to tenant A's callback: refused.
    const hubJar = new CookieJar();
    const atB = new CookieJar();
    const start = await step(hubJar, `${hubUrl}/sso/${providerB}/login`);
    const toForm = await step(atB, start.location!);
    const finished = await step(atB, toForm.location!, { login: 'mallory' });
    const resumed = await step(atB, finished.location!);
    const answer = new URL(resumed.location!);
    const swapped = await step(hubJar, `${hubUrl}/sso/${providerA}/callback${answer.search}`);
    expect(swapped.location).toBe(`${hubUrl}/login?sso=failed`);
    expect(hubJar.get('bw_session')).toBeUndefined();
    // And the real answer, once refused elsewhere, is spent: its state was taken.
    const late = await step(hubJar, resumed.location!);
    expect(late.location).toBe(`${hubUrl}/login?sso=failed`);
  });

  it('refuses a made-up or replayed answer', async () => {
    const madeUp = await step(
      new CookieJar(),
      `${hubUrl}/sso/${providerA}/callback?code=abc&state=made-up`,
    );
    expect(madeUp.location).toBe(`${hubUrl}/login?sso=failed`);
    opA.people.set('roya', { email: 'roya@north.example', groups: ['noc'], amr: ['otp'] });
    const { callback, location } = await signIn(opA, providerA, 'roya');
    expect(location).toBe(`${hubUrl}/`);
    const replay = await step(new CookieJar(), callback);
    expect(replay.location).toBe(`${hubUrl}/login?sso=failed`);
    const unknown = await step(new CookieJar(), `${hubUrl}/sso/not-an-id/login`);
    expect(unknown.location).toBe(`${hubUrl}/login?sso=unknown`);
  });

  it('keeps the provider’s logout when the sign-in went through the hub’s TOTP', async () => {
    const put = await t.api.request('PUT', `/api/v1/identity-providers/${providerA}`, {
      kind: 'oidc',
      name: 'North ID',
      domains: ['north.example'],
      settings: { issuer: opA.issuer, clientId: `hub-${tenantA}` },
      trustMfa: true,
      rules: [{ claim: 'groups', value: 'noc', role: 'noc_operator', branchIds: [branchA1] }],
    });
    expect(put.status).toBe(200);
    opA.people.set('omar', { email: 'omar@north.example', groups: ['noc'], amr: ['pwd'] });
    const { location } = await signIn(opA, providerA, 'omar');
    expect(location).toMatch(new RegExp(`^${hubUrl}/login#enrol=.+`));
    const ticket = decodeURIComponent(location.split('#enrol=')[1]!);
    const person = new ApiClient(hubUrl);
    const enrol = await person.request('POST', '/api/v1/auth/login/enrol', { ticket });
    const secret = (enrol.body as { secret: string }).secret;
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
    const done = await person.request('POST', '/api/v1/auth/login/enrol/confirm', {
      ticket,
      code,
    });
    expect(done.status).toBe(200);
    const res = await fetch(`${hubUrl}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(done.body as { token: string }).token}` },
    });
    expect(res.status).toBe(200);
    const { logoutUrl } = (await res.json()) as { logoutUrl?: string };
    expect(logoutUrl).toBeDefined();
    const url = new URL(logoutUrl!);
    expect(`${url.origin}${url.pathname}`).toBe(`${opA.issuer}/session/end`);
    expect(url.searchParams.get('id_token_hint')).toBeTruthy();
  });

  it('ends the session at the provider too (RP-initiated logout)', async () => {
    opA.people.set('sara', { email: 'sara@north.example', groups: ['noc'], amr: ['otp'] });
    const { hub, location } = await signIn(opA, providerA, 'sara');
    expect(location).toBe(`${hubUrl}/`);
    const res = await fetch(`${hubUrl}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: hub.header(), 'x-csrf-token': hub.get('bw_csrf') ?? '' },
    });
    expect(res.status).toBe(200);
    const { logoutUrl } = (await res.json()) as { logoutUrl: string };
    const url = new URL(logoutUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${opA.issuer}/session/end`);
    expect(url.searchParams.get('id_token_hint')).toBeTruthy();
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${hubUrl}/login`);
    expect((await whoIs(hubUrl, hub)).status).toBe(401);
  });
});

describe('the login page’s questions', () => {
  it('lists a tenant’s providers and routes an address by its domain', async () => {
    const buttons = await new ApiClient(hubUrl).request(
      'GET',
      '/api/v1/auth/sso/providers?tenant=north',
    );
    expect(buttons.status).toBe(200);
    expect(buttons.body.items).toEqual([
      { id: providerA, name: 'North ID', kind: 'oidc', loginUrl: `/sso/${providerA}/login` },
    ]);
    const routed = await new ApiClient(hubUrl).request('POST', '/api/v1/auth/sso/discover', {
      email: 'Someone@SOUTH.example',
    });
    expect(routed.body.provider).toMatchObject({ id: providerB, name: 'South ID' });
    const local = await new ApiClient(hubUrl).request('POST', '/api/v1/auth/sso/discover', {
      email: 'admin@elsewhere.example',
    });
    expect(local.body).toEqual({ provider: null });
    const bad = await new ApiClient(hubUrl).request('POST', '/api/v1/auth/sso/discover', {
      email: 'no-at-sign',
    });
    expect(bad.status).toBe(400);
  });
});
