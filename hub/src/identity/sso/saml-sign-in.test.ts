import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { CookieJar, step } from '../../../../test/support/oidc-provider.js';
import {
  postIdpForm,
  samlSignIn,
  startSamlIdp,
  type TestSamlIdp,
} from '../../../../test/support/saml-idp.js';
import { connectDatabase, type Database } from '../../db/database.js';
import {
  branchesOf,
  tenantWithBranches,
  userNamed,
  whoIs,
} from '../../../../test/support/sso-people.js';

/**
 * Sign-in through SAML 2.0 against an IdP built on samlify on loopback: the hub's AuthnRequest
 * (HTTP-Redirect), the IdP's signed response posted to the ACS and checked by node-saml and the
 * hub (signature of the response or of the assertion, audience, recipient, time, InResponseTo,
 * the assertion used once); the person made and mapped at every login; the hub's TOTP when the
 * IdP's MFA is trusted and not proven; another tenant's IdP never signs anyone into this one.
 */

interface SpCert {
  use: string;
  pem: string;
  notAfter: string;
}

/** A certificate's base64 DER, and XML without white space: how metadata carries it. */
const MFA = 'https://refeds.org/profile/mfa';
const der = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
const flat = (xml: string) => xml.replace(/\s/g, '');

let t: TestHub;
let db: Database;
let idpA: TestSamlIdp;
let idpB: TestSamlIdp;
/** An IdP that wants AuthnRequests signed (WantAuthnRequestsSigned="true"). */
let idpStrict: TestSamlIdp;
let providerStrict: string;
let tenantA: string;
let tenantB: string;
let branchA1: string;
let branchA2: string;
let providerA: string;
let providerB: string;
let hubUrl: string;

const rulesA = () => [
  { claim: 'groups', value: 'noc', role: 'noc_operator', branchIds: [branchA1] },
  { claim: 'groups', value: 'support', role: 'support_agent', branchIds: [branchA2] },
];

async function addProvider(idp: TestSamlIdp, tenantId: string, over: Record<string, unknown>) {
  const res = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'saml',
    tenantId,
    settings: { idpMetadataXml: idp.metadataXml },
    ...over,
  });
  expect(res.status).toBe(201);
  return res.body.provider as { id: string; redirectUrl: string; spEntityId: string };
}

/** A browser's way through: the hub, the IdP's sign-in page, its form posted to the ACS. */
const signIn = (idp: TestSamlIdp, providerId: string, login: string) =>
  samlSignIn(hubUrl, idp, providerId, login);

/** The newest refused sign-in through a provider, as the audit chain says it. */
async function lastRefusal(providerId: string) {
  const row = (await db('audit_log')
    .where({ action: 'auth.login_failed' })
    .whereRaw("details->>'provider' = ?", [providerId])
    .orderBy('seq', 'desc')
    .first('details')) as { details: { reason: string; detail?: string } } | undefined;
  return row?.details;
}

beforeAll(async () => {
  t = await startTestHub();
  hubUrl = t.api.baseUrl;
  db = connectDatabase(t.databaseUrl);
  [idpA, idpB, idpStrict] = await Promise.all([
    startSamlIdp(),
    startSamlIdp(),
    startSamlIdp({ wantSignedRequests: true }),
  ]);
  const a = await tenantWithBranches(t.api, 'east', ['east-hq', 'east-depot']);
  const b = await tenantWithBranches(t.api, 'west', ['west-hq']);
  tenantA = a.id;
  tenantB = b.id;
  [branchA1, branchA2] = a.branches as [string, string];
  providerA = (
    await addProvider(idpA, tenantA, {
      name: 'East SAML',
      domains: ['east.example'],
      rules: rulesA(),
    })
  ).id;
  // Tenant B's provider is set up by fields (entity id, sign-in URL, certificate): no metadata.
  providerB = (
    await addProvider(idpB, tenantB, {
      name: 'West SAML',
      domains: ['west.example'],
      defaultRole: 'viewer',
      settings: {
        idpEntityId: idpB.entityId,
        idpSsoUrl: idpB.ssoUrl,
        idpCertificate: idpB.certificatePem,
      },
    })
  ).id;
  providerStrict = (
    await addProvider(idpStrict, tenantA, {
      name: 'East strict SAML',
      domains: ['strict.east.example'],
      rules: rulesA(),
    })
  ).id;
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await idpA?.stop();
  await idpB?.stop();
  await idpStrict?.stop();
});

describe('SAML 2.0 sign-in', () => {
  it('serves the SP metadata the IdP’s admin imports, with the addresses the admin API shows', async () => {
    const shown = await t.api.request('GET', `/api/v1/identity-providers/${providerA}`);
    const provider = shown.body.provider as {
      redirectUrl: string;
      spEntityId: string;
      idpCertificates: { subject: string; notAfter: string }[];
    };
    expect(provider.redirectUrl).toBe(`${hubUrl}/sso/${providerA}/saml/acs`);
    // The IdP's certificate as the admin page reads it: whose, and until when (2 days, openssl).
    expect(provider.idpCertificates).toHaveLength(1);
    expect(provider.idpCertificates[0]!.subject).toBe('CN=Test IdP idp');
    const left = Date.parse(provider.idpCertificates[0]!.notAfter) - Date.now();
    expect(left).toBeGreaterThan(86400_000);
    expect(left).toBeLessThan(2 * 86400_000 + 60_000);
    expect(provider.spEntityId).toBe(`${hubUrl}/sso/${providerA}/saml/metadata`);
    const res = await fetch(provider.spEntityId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/samlmetadata\+xml/);
    const xml = await res.text();
    expect(xml).toContain(`entityID="${provider.spEntityId}"`);
    expect(xml).toContain(
      `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${provider.redirectUrl}"`,
    );
    const missing = await fetch(`${hubUrl}/sso/${crypto.randomUUID()}/saml/metadata`);
    expect(missing.status).toBe(404);

    // The hub's own certificates: one to check its requests' signatures, one to encrypt to.
    expect(xml).toContain('AuthnRequestsSigned="true"');
    const spCerts = (provider as unknown as { spCertificates: SpCert[] }).spCertificates;
    expect(spCerts.map((c) => c.use)).toEqual(['signing', 'encryption']);
    for (const c of spCerts) {
      const cert = new X509Certificate(c.pem);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(flat(xml)).toContain(der(c.pem));
      expect(Date.parse(c.notAfter)).toBe(Date.parse(cert.validTo));
      // Five years, as docs/sso.md says.
      const years = (Date.parse(c.notAfter) - Date.now()) / (365.25 * 86400_000);
      expect(years).toBeGreaterThan(4.9);
      expect(years).toBeLessThan(5.1);
    }
    expect(xml).toMatch(/<KeyDescriptor use="signing">/);
    expect(xml).toMatch(/<KeyDescriptor use="encryption">/);
    // The private halves are sealed with the hub's key, never stored in clear.
    const row = await db('identity_providers').where({ id: providerA }).first('sp_keys_sealed');
    expect(row.sp_keys_sealed).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(row.sp_keys_sealed).not.toContain('PRIVATE KEY');
  });

  it('signs its AuthnRequests: an IdP that wants them signed takes them and refuses an unsigned one', async () => {
    idpStrict.people.set('sina', { email: 'sina@east.example', groups: ['noc'] });
    const { location, hub } = await signIn(idpStrict, providerStrict, 'sina');
    expect(location).toBe(`${hubUrl}/`);
    expect((await whoIs(hubUrl, hub)).body.user).toMatchObject({ role: 'noc_operator' });

    const start = await step(new CookieJar(), `${hubUrl}/sso/${providerStrict}/login`);
    const signed = new URL(start.location!);
    expect(signed.searchParams.get('SigAlg')).toBe(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    );
    expect(signed.searchParams.get('Signature')).toBeTruthy();
    const unsigned = new URL(signed);
    unsigned.searchParams.delete('Signature');
    unsigned.searchParams.delete('SigAlg');
    const refused = await fetch(unsigned);
    expect(refused.status).toBe(403);
    expect(idpStrict.refused.at(-1)).toMatch(/ERR_MISSING_SIG_ALG/);
    // The signature covers the request: another request under this signature fails.
    const other = new URL(
      (await step(new CookieJar(), `${hubUrl}/sso/${providerStrict}/login`)).location!,
    );
    other.searchParams.set('Signature', signed.searchParams.get('Signature')!);
    expect((await fetch(other)).status).toBe(403);
    expect(idpStrict.refused.at(-1)).toMatch(/SIGNATURE_VERIFICATION/);
  });

  it('rotates its keys for an admin: the metadata changes and a request signed before no longer passes', async () => {
    const before = (await t.api.request('GET', `/api/v1/identity-providers/${providerStrict}`)).body
      .provider as { spCertificates: SpCert[] };
    const oldRequest = (await step(new CookieJar(), `${hubUrl}/sso/${providerStrict}/login`))
      .location!;
    const rotated = await t.api.request(
      'POST',
      `/api/v1/identity-providers/${providerStrict}/saml-keys/rotate`,
    );
    expect(rotated.status).toBe(200);
    const after = (rotated.body.provider as { spCertificates: SpCert[] }).spCertificates;
    expect(after.map((c) => c.use)).toEqual(['signing', 'encryption']);
    expect(after[0]!.pem).not.toBe(before.spCertificates[0]!.pem);
    expect(after[1]!.pem).not.toBe(before.spCertificates[1]!.pem);
    const xml = await (await fetch(`${hubUrl}/sso/${providerStrict}/saml/metadata`)).text();
    expect(flat(xml)).toContain(der(after[0]!.pem));
    expect(flat(xml)).not.toContain(der(before.spCertificates[0]!.pem));
    // The IdP reads the hub's metadata again: the old key's signature is refused, a new one taken.
    expect((await fetch(oldRequest)).status).toBe(403);
    idpStrict.people.set('sina', { email: 'sina@east.example', groups: ['noc'] });
    expect((await signIn(idpStrict, providerStrict, 'sina')).location).toBe(`${hubUrl}/`);
    const audit = await db('audit_log')
      .where({ action: 'sso.sp_keys_rotated', target: `identity_provider:${providerStrict}` })
      .first('details');
    expect(audit.details.after).toHaveLength(2);
    expect(JSON.stringify(audit.details)).not.toContain('PRIVATE');
    // Another tenant's admin cannot rotate this tenant's keys; an OIDC/LDAP provider has none.
    await t.api.request('POST', '/api/v1/users', {
      username: 'west-admin',
      password: 'west-admin-password-1',
      role: 'tenant_admin',
      tenantId: tenantB,
    });
    const west = new ApiClient(hubUrl);
    await west.login('west-admin', 'west-admin-password-1');
    expect(
      (await west.request('POST', `/api/v1/identity-providers/${providerStrict}/saml-keys/rotate`))
        .status,
    ).toBe(404);
  });

  it('takes an assertion encrypted to the hub’s certificate, and says so when it is encrypted to another key', async () => {
    idpA.mode = 'signed-response';
    idpA.encrypt = 'to-hub';
    idpA.people.set('ehsan', { email: 'ehsan@east.example', groups: ['noc'] });
    try {
      const ok = await signIn(idpA, providerA, 'ehsan');
      const posted = Buffer.from(ok.samlResponse, 'base64').toString('utf8');
      expect(posted).toContain('EncryptedAssertion');
      expect(posted).not.toContain('ehsan@east.example');
      expect(ok.location, JSON.stringify(await lastRefusal(providerA))).toBe(`${hubUrl}/`);
      expect((await whoIs(hubUrl, ok.hub)).body.user).toMatchObject({
        username: 'ehsan@east.example',
        role: 'noc_operator',
      });

      idpA.encrypt = 'to-other-key';
      idpA.people.set('elham', { email: 'elham@east.example', groups: ['noc'] });
      const refused = await signIn(idpA, providerA, 'elham');
      expect(refused.location).toBe(`${hubUrl}/login?sso=failed`);
      expect(refused.hub.get('bw_session')).toBeUndefined();
      expect(await userNamed(db, 'elham@east.example')).toBeUndefined();
      expect((await lastRefusal(providerA))?.detail).toMatch(
        /encrypted to a key that is not this provider's encryption certificate/,
      );
    } finally {
      idpA.encrypt = 'no';
    }
  });

  it('makes the person at their first login with the role and branches their groups map to', async () => {
    idpA.mode = 'signed-response';
    idpA.people.set('nadia', { email: 'nadia@east.example', groups: ['noc'] });
    const { hub, location } = await signIn(idpA, providerA, 'nadia');
    expect(location, JSON.stringify(await lastRefusal(providerA))).toBe(`${hubUrl}/`);
    const who = await whoIs(hubUrl, hub);
    expect(who.status).toBe(200);
    expect(who.body.user).toMatchObject({ username: 'nadia@east.example', role: 'noc_operator' });
    const user = (await userNamed(db, 'nadia@east.example'))!;
    expect(user.tenant_id).toBe(tenantA);
    expect(await branchesOf(db, user.id)).toEqual([branchA1]);
    const created = await db('audit_log')
      .where({ action: 'sso.user_provisioned', target: `user:${user.id}` })
      .first('details');
    expect(created.details).toMatchObject({
      provider: providerA,
      after: { role: 'noc_operator', branchIds: [branchA1] },
    });
    const login = await db('audit_log')
      .where({ action: 'auth.login', target: `user:${user.id}` })
      .first('details');
    expect(login.details).toEqual({ provider: providerA, kind: 'saml' });
  });

  it('takes a response whose assertion alone is signed, and maps again at every login', async () => {
    idpA.mode = 'signed-assertion';
    idpA.people.set('nadia', { email: 'nadia@east.example', groups: ['support'] });
    const { hub, location } = await signIn(idpA, providerA, 'nadia');
    expect(location).toBe(`${hubUrl}/`);
    expect((await whoIs(hubUrl, hub)).body.user).toMatchObject({ role: 'support_agent' });
    const user = (await userNamed(db, 'nadia@east.example'))!;
    expect(await branchesOf(db, user.id)).toEqual([branchA2]);
    const change = await db('audit_log')
      .where({ action: 'sso.role_changed', target: `user:${user.id}` })
      .orderBy('seq', 'desc')
      .first('details');
    expect(change.details).toMatchObject({
      before: { role: 'noc_operator', branchIds: [branchA1] },
      after: { role: 'support_agent', branchIds: [branchA2] },
    });
  });

  it.each([
    ['unsigned', /signature/i],
    ['other-key', /signature/i],
    ['wrong-audience', /audience/i],
    ['expired', /no valid subject confirmation|NotOnOrAfter|expired/i],
    ['wrong-recipient', /meant for https:\/\/elsewhere\.example\/acs/],
  ] as const)('refuses a response that is %s, and makes nobody', async (mode, reason) => {
    idpA.mode = mode;
    const login = `refused-${mode}`;
    idpA.people.set(login, { email: `${login}@east.example`, groups: ['noc'] });
    const { hub, location } = await signIn(idpA, providerA, login);
    expect(location).toBe(`${hubUrl}/login?sso=failed`);
    expect(hub.get('bw_session')).toBeUndefined();
    expect(await userNamed(db, `${login}@east.example`)).toBeUndefined();
    const refusal = await lastRefusal(providerA);
    expect(refusal?.reason).toBe('invalid_answer');
    expect(refusal?.detail).toMatch(reason);
  });

  it('refuses a replayed response: an assertion is used once', async () => {
    idpA.mode = 'signed-response';
    idpA.people.set('roya', { email: 'roya@east.example', groups: ['noc'] });
    const first = await signIn(idpA, providerA, 'roya');
    expect(first.location).toBe(`${hubUrl}/`);
    const again = await step(new CookieJar(), `${hubUrl}/sso/${providerA}/saml/acs`, {
      SAMLResponse: first.samlResponse,
    });
    expect(again.location).toBe(`${hubUrl}/login?sso=failed`);
    const saw = await db('saml_seen_assertions').where({ provider_id: providerA });
    expect(saw.length).toBeGreaterThanOrEqual(1);
    // An answer to no request of this hub (unsolicited, or made up) is refused too.
    const none = await step(new CookieJar(), `${hubUrl}/sso/${providerA}/saml/acs`, {
      SAMLResponse: Buffer.from('<not-saml/>').toString('base64'),
    });
    expect(none.location).toBe(`${hubUrl}/login?sso=failed`);
    const empty = await step(new CookieJar(), `${hubUrl}/sso/${providerA}/saml/acs`, {});
    expect(empty.location).toBe(`${hubUrl}/login?sso=failed`);
  });

  it('never signs anyone into a tenant through another tenant’s IdP', async () => {
    idpA.mode = 'signed-response';
    idpB.mode = 'signed-response';
    // B's IdP vouching for an address of A's domain makes a person of tenant B.
    idpB.people.set('mallory', { email: 'mallory@east.example', groups: ['noc'] });
    const { hub, location } = await signIn(idpB, providerB, 'mallory');
    expect(location).toBe(`${hubUrl}/`);
    const who = await whoIs(hubUrl, hub);
    expect(who.body.user).toMatchObject({ role: 'viewer' });
    expect((await userNamed(db, 'mallory@east.example'))!.tenant_id).toBe(tenantB);

    // B's signed answer posted to A's ACS: another IdP's signature, another audience.
    const hubJar = new CookieJar();
    const start = await step(hubJar, `${hubUrl}/sso/${providerB}/login`);
    const form = await postIdpForm(idpB.ssoUrl, {
      SAMLRequest: new URL(start.location!).searchParams.get('SAMLRequest')!,
      RelayState: '',
      login: 'mallory',
    });
    const swapped = await step(hubJar, `${hubUrl}/sso/${providerA}/saml/acs`, {
      SAMLResponse: form.samlResponse,
    });
    expect(swapped.location).toBe(`${hubUrl}/login?sso=failed`);
    expect(hubJar.get('bw_session')).toBeUndefined();
    expect((await lastRefusal(providerA))?.detail).toMatch(/signature|audience|InResponseTo/i);

    // A's IdP answering a request B's provider made: A signs it, but the request is not A's.
    const startB = await step(new CookieJar(), `${hubUrl}/sso/${providerB}/login`);
    const requestOfB = new URL(startB.location!).searchParams.get('SAMLRequest')!;
    idpA.people.set('mallory', { email: 'mallory@east.example', groups: ['noc'] });
    const crossed = await postIdpForm(idpA.ssoUrl, {
      SAMLRequest: requestOfB,
      RelayState: '',
      login: 'mallory',
    });
    const intoA = await step(new CookieJar(), `${hubUrl}/sso/${providerA}/saml/acs`, {
      SAMLResponse: crossed.samlResponse,
    });
    expect(intoA.location).toBe(`${hubUrl}/login?sso=failed`);
    expect((await lastRefusal(providerA))?.detail).toMatch(/InResponseTo/i);
    expect(await userNamed(db, 'mallory@east.example')).toMatchObject({ tenant_id: tenantB });
  });

  it('sends the person to the hub’s TOTP when the trusted IdP does not prove MFA', async () => {
    idpA.mode = 'signed-response';
    const put = await t.api.request('PUT', `/api/v1/identity-providers/${providerA}`, {
      kind: 'saml',
      name: 'East SAML',
      domains: ['east.example'],
      settings: { idpMetadataXml: idpA.metadataXml },
      trustMfa: true,
      rules: rulesA(),
    });
    expect(put.status).toBe(200);
    idpA.people.set('parisa', { email: 'parisa@east.example', groups: ['noc'] });
    const without = await signIn(idpA, providerA, 'parisa');
    expect(without.location).toMatch(new RegExp(`^${hubUrl}/login#enrol=.+`));
    expect((await whoIs(hubUrl, without.hub)).status).toBe(401);
    const ticket = decodeURIComponent(without.location.split('#enrol=')[1]!);
    const enrol = await new ApiClient(hubUrl).request('POST', '/api/v1/auth/login/enrol', {
      ticket,
    });
    expect(enrol.status).toBe(200);

    idpA.people.set('parisa', {
      email: 'parisa@east.example',
      groups: ['noc'],
      classRef: 'https://refeds.org/profile/mfa',
    });
    const proven = await signIn(idpA, providerA, 'parisa');
    expect(proven.location).toBe(`${hubUrl}/`);
    expect((await whoIs(hubUrl, proven.hub)).body.user).toMatchObject({ role: 'noc_operator' });
  });

  it('logs out at the IdP too when the person logs out in Branchwatch (single logout, signed)', async () => {
    idpA.mode = 'signed-response';
    // The provider trusts its IdP's MFA since the test before: the IdP proves it.
    idpA.people.set('leila', {
      email: 'leila@east.example',
      groups: ['noc'],
      classRef: MFA,
    });
    const { hub, location } = await signIn(idpA, providerA, 'leila');
    expect(location).toBe(`${hubUrl}/`);
    const sessionIndex = idpA.sessions.get('leila@east.example');
    const out = await fetch(`${hubUrl}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: hub.header(), 'x-csrf-token': hub.get('bw_csrf')! },
    });
    expect(out.status).toBe(200);
    const { logoutUrl } = (await out.json()) as { logoutUrl: string };
    expect(logoutUrl.startsWith(`${idpA.sloUrl}?SAMLRequest=`)).toBe(true);
    expect(new URL(logoutUrl).searchParams.get('Signature')).toBeTruthy();
    expect((await whoIs(hubUrl, hub)).status).toBe(401);
    // The IdP checks the hub's signature, ends its session and answers with its LogoutResponse.
    const atIdp = await step(new CookieJar(), logoutUrl);
    expect(atIdp.status).toBe(302);
    expect(idpA.logoutRequests.at(-1)).toEqual({ nameId: 'leila@east.example', sessionIndex });
    expect(atIdp.location!.startsWith(`${hubUrl}/sso/${providerA}/saml/slo?SAMLResponse=`)).toBe(
      true,
    );
    const back = await step(hub, atIdp.location!);
    expect(back.location).toBe(`${hubUrl}/login`);
    // A LogoutResponse without its signature is refused.
    const bare = new URL(atIdp.location!);
    bare.searchParams.delete('Signature');
    expect((await step(new CookieJar(), bare.toString())).location).toBe(
      `${hubUrl}/login?sso=failed`,
    );
  });

  it('ends the person’s Branchwatch sessions when the IdP logs them out, and refuses replays and unsigned requests', async () => {
    idpA.mode = 'signed-response';
    // The provider trusts its IdP's MFA since the test before: the IdP proves it.
    idpA.people.set('omid', {
      email: 'omid@east.example',
      groups: ['noc'],
      classRef: MFA,
    });
    const first = await signIn(idpA, providerA, 'omid');
    const second = await signIn(idpA, providerA, 'omid');
    expect((await whoIs(hubUrl, first.hub)).status).toBe(200);
    expect((await whoIs(hubUrl, second.hub)).status).toBe(200);
    const user = (await userNamed(db, 'omid@east.example'))!;

    // Unsigned: refused, nobody's session ends.
    const unsigned = await idpA.logoutRequestUrl(
      `${hubUrl}/sso/${providerA}/saml/metadata`,
      'omid@east.example',
      { unsigned: true },
    );
    expect(new URL(unsigned).searchParams.get('Signature')).toBeNull();
    expect((await step(new CookieJar(), unsigned)).location).toBe(`${hubUrl}/login?sso=failed`);
    expect((await whoIs(hubUrl, second.hub)).status).toBe(200);
    const refusal = await db('audit_log')
      .where({ action: 'sso.logout_refused' })
      .orderBy('seq', 'desc')
      .first('details');
    expect(refusal.details.detail).toMatch(/not signed/);

    // Signed, naming the latest sign-in's SessionIndex: that session ends, in the database.
    const signed = await idpA.logoutRequestUrl(
      `${hubUrl}/sso/${providerA}/saml/metadata`,
      'omid@east.example',
    );
    const answered = await step(new CookieJar(), signed);
    expect(answered.location!.startsWith(`${idpA.sloUrl}?SAMLResponse=`)).toBe(true);
    expect((await whoIs(hubUrl, second.hub)).status).toBe(401);
    expect((await whoIs(hubUrl, first.hub)).status).toBe(200);
    // The IdP takes the hub's signed LogoutResponse to its request.
    expect((await step(new CookieJar(), answered.location!)).status).toBe(200);
    expect(idpA.logoutResponses.length).toBeGreaterThan(0);

    // The same request again: a replay, refused.
    expect((await step(new CookieJar(), signed)).location).toBe(`${hubUrl}/login?sso=failed`);
    expect(
      (
        await db('audit_log')
          .where({ action: 'sso.logout_refused' })
          .orderBy('seq', 'desc')
          .first('details')
      ).details.detail,
    ).toMatch(/used already/);

    // Without a SessionIndex: every session of the person through this provider ends.
    const all = await idpA.logoutRequestUrl(
      `${hubUrl}/sso/${providerA}/saml/metadata`,
      'omid@east.example',
      { sessionIndex: '' },
    );
    await step(new CookieJar(), all);
    expect((await whoIs(hubUrl, first.hub)).status).toBe(401);
    expect(
      await db('sessions')
        .where({ user_id: user.id, identity_provider_id: providerA })
        .count('* as n'),
    ).toEqual([{ n: 0 }]);
    const revoked = await db('audit_log')
      .where({ action: 'auth.session_revoked', target: `user:${user.id}` })
      .orderBy('seq', 'desc')
      .first('details');
    expect(revoked.details).toMatchObject({ reason: 'single logout', provider: providerA });
  });

  it('never ends another tenant’s sessions from a tenant’s SLO endpoint', async () => {
    idpA.mode = 'signed-response';
    // The provider trusts its IdP's MFA since the test before: the IdP proves it.
    idpA.people.set('sara', {
      email: 'sara@east.example',
      groups: ['noc'],
      classRef: MFA,
    });
    const a = await signIn(idpA, providerA, 'sara');
    expect((await whoIs(hubUrl, a.hub)).status).toBe(200);
    // B's IdP, signing a LogoutRequest for A's person, to B's own SLO endpoint: B's provider
    // knows nobody of that NameID (A's person is linked to A's provider only).
    const toB = await idpB.logoutRequestUrl(
      `${hubUrl}/sso/${providerB}/saml/metadata`,
      'sara@east.example',
      { sessionIndex: idpA.sessions.get('sara@east.example') },
    );
    await step(new CookieJar(), toB);
    expect((await whoIs(hubUrl, a.hub)).status).toBe(200);
    // The same, sent to A's SLO endpoint: signed by B's IdP, not A's: refused.
    const metadataA = `${hubUrl}/sso/${providerA}/saml/metadata`;
    const toA = await idpB.logoutRequestUrl(metadataA, 'sara@east.example', {
      sessionIndex: idpA.sessions.get('sara@east.example'),
    });
    expect(toA.startsWith(`${hubUrl}/sso/${providerA}/saml/slo?`)).toBe(true);
    expect((await step(new CookieJar(), toA)).location).toBe(`${hubUrl}/login?sso=failed`);
    expect((await whoIs(hubUrl, a.hub)).status).toBe(200);
    // A's own IdP's request, sent to B's endpoint: refused there, and A's session stays.
    const aToB = (await idpA.logoutRequestUrl(metadataA, 'sara@east.example')).replace(
      `/sso/${providerA}/`,
      `/sso/${providerB}/`,
    );
    expect((await step(new CookieJar(), aToB)).location).toBe(`${hubUrl}/login?sso=failed`);
    expect((await whoIs(hubUrl, a.hub)).status).toBe(200);
  });

  it('shows the SAML provider on its tenant’s login page and routes its domain to it', async () => {
    const buttons = await new ApiClient(hubUrl).request(
      'GET',
      '/api/v1/auth/sso/providers?tenant=east',
    );
    expect(buttons.body.items).toEqual([
      { id: providerA, name: 'East SAML', kind: 'saml', loginUrl: `/sso/${providerA}/login` },
      {
        id: providerStrict,
        name: 'East strict SAML',
        kind: 'saml',
        loginUrl: `/sso/${providerStrict}/login`,
      },
    ]);
    const routed = await new ApiClient(hubUrl).request('POST', '/api/v1/auth/sso/discover', {
      email: 'someone@west.example',
    });
    expect(routed.body.provider).toMatchObject({ id: providerB, kind: 'saml' });
  });

  it('tests the provider for its admin: shows the attributes and the mapping, signs nobody in', async () => {
    idpA.mode = 'signed-response';
    idpA.people.set('tara', { email: 'tara@east.example', groups: ['Staff', 'support'] });
    const started = await t.api.request(
      'POST',
      `/api/v1/identity-providers/${providerA}/test-sign-in`,
    );
    expect(started.status).toBe(200);
    const url = (started.body as { url: string }).url;
    expect(url.startsWith(`${idpA.ssoUrl}?SAMLRequest=`)).toBe(true);
    const form = await postIdpForm(idpA.ssoUrl, {
      SAMLRequest: new URL(url).searchParams.get('SAMLRequest')!,
      RelayState: '',
      login: 'tara',
    });
    const jar = new CookieJar();
    const back = await step(jar, form.action, { SAMLResponse: form.samlResponse });
    const landed = new URL(back.location!);
    expect(landed.pathname).toBe('/admin/sso');
    expect(landed.searchParams.get('testProvider')).toBe(providerA);
    expect(jar.get('bw_session')).toBeUndefined();
    expect(await userNamed(db, 'tara@east.example')).toBeUndefined();

    const resultPath = `/api/v1/identity-providers/${providerA}/test-results/${landed.searchParams.get('testResult')}`;
    const read = await t.api.request('GET', resultPath);
    expect(read.status).toBe(200);
    const result = read.body.result as {
      subject: string;
      email: string;
      claims: { name: string; values: string[] }[];
      mapped: { role: string; branchIds: string[] } | null;
    };
    expect(result.subject).toBe('tara@east.example');
    expect(result.email).toBe('tara@east.example');
    expect(result.claims).toContainEqual({ name: 'groups', values: ['Staff', 'support'] });
    expect(result.mapped).toMatchObject({ role: 'support_agent', branchIds: [branchA2] });

    // Another admin of the tenant does not read it; the answer is used once, like a sign-in's.
    await t.api.request('POST', '/api/v1/users', {
      username: 'east-admin',
      password: 'east-admin-password-1',
      role: 'tenant_admin',
      tenantId: tenantA,
    });
    const other = new ApiClient(hubUrl);
    await other.login('east-admin', 'east-admin-password-1');
    expect((await other.request('GET', resultPath)).status).toBe(404);
    const replay = await step(new CookieJar(), form.action, { SAMLResponse: form.samlResponse });
    expect(replay.location).toBe(`${hubUrl}/login?sso=failed`);
    // An LDAP-style test of a SAML provider, or a SAML test of B's provider by A's admin: no.
    expect(
      (await other.request('POST', `/api/v1/identity-providers/${providerB}/test-sign-in`)).status,
    ).toBe(404);
  });

  it('refuses settings that describe no IdP, saying which field', async () => {
    const res = await t.api.request('POST', '/api/v1/identity-providers', {
      kind: 'saml',
      tenantId: tenantA,
      name: 'Half',
      settings: { idpEntityId: 'https://idp.example/', idpSsoUrl: 'https://idp.example/sso' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'BW_ERR_VALIDATION',
      details: { field: 'settings.idpCertificate' },
    });
  });
});
