import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import {
  oidcSignIn,
  startOidcProvider,
  type TestOidcProvider,
} from '../../../../test/support/oidc-provider.js';
import { samlSignIn, startSamlIdp, type TestSamlIdp } from '../../../../test/support/saml-idp.js';
import { tenantWithBranches } from '../../../../test/support/sso-people.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * What a provider's answer shows besides the person, recorded with the sign-in: a SAML answer
 * signed with SHA-1 (samlify signing rsa-sha1 with a sha1 digest) is refused by a new provider
 * and accepted once its admin allows it, both kept as findings; an assertion or ID token issued
 * by a clock further off than a minute is kept with how far (the IdP's and the OpenID
 * provider's clocks are moved, the hub's is not). The report counts them per provider.
 */

let t: TestHub;
let db: Database;
let idp: TestSamlIdp;
let op: TestOidcProvider;
let tenantId: string;
let samlId: string;
let oidcId: string;
let hubUrl: string;

/** The provider's newest sign-in or refusal, as the report's table holds it. */
const lastEvent = async (providerId: string) =>
  (await db('sign_in_events')
    .where({ provider_id: providerId })
    .orderBy('id', 'desc')
    .first('ok', 'reason', 'findings')) as
    { ok: boolean; reason: string | null; findings: unknown } | undefined;

beforeAll(async () => {
  t = await startTestHub();
  hubUrl = t.api.baseUrl;
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  [idp, op] = await Promise.all([startSamlIdp(), startOidcProvider()]);
  tenantId = (await tenantWithBranches(t.api, 'skew', ['skew-hq'])).id;
  const saml = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'saml',
    tenantId,
    name: 'Old IdP',
    defaultRole: 'viewer',
    settings: { idpMetadataXml: idp.metadataXml },
  });
  expect(saml.status).toBe(201);
  samlId = (saml.body.provider as { id: string }).id;
  const oidc = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'oidc',
    tenantId,
    name: 'Drifting ID',
    defaultRole: 'viewer',
    settings: { issuer: op.issuer, clientId: 'hub-skew' },
    clientSecret: 'secret-of-skew',
  });
  expect(oidc.status).toBe(201);
  const provider = oidc.body.provider as { id: string; redirectUrl: string };
  oidcId = provider.id;
  op.configure({
    clientId: 'hub-skew',
    clientSecret: 'secret-of-skew',
    redirectUri: provider.redirectUrl,
    postLogoutRedirectUri: `${hubUrl}/login`,
  });
  idp.people.set('sara', { email: 'sara@skew.example', groups: [] });
  op.people.set('omid', { email: 'omid@skew.example', groups: [] });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await idp?.stop();
  await op?.stop();
});

describe('SHA-1 and clock skew in sign-ins', () => {
  it('refuses a SHA-1 answer by default, accepts it once allowed, and keeps both as findings', async () => {
    const shown = await t.api.request('GET', `/api/v1/identity-providers/${samlId}`);
    expect((shown.body.provider as { settings: Record<string, unknown> }).settings).toMatchObject({
      acceptSha1: false,
    });
    idp.hash = 'sha1';
    const refused = await samlSignIn(hubUrl, idp, samlId, 'sara');
    expect(refused.location).toBe(`${hubUrl}/login?sso=failed`);
    expect(await lastEvent(samlId)).toEqual({
      ok: false,
      reason: 'invalid_answer',
      findings: [{ kind: 'sha1', accepted: false }],
    });
    const why = await db('audit_log')
      .where({ action: 'auth.login_failed' })
      .orderBy('seq', 'desc')
      .first('details');
    expect(why.details.detail).toContain('signed with SHA-1');

    const put = await t.api.request('PUT', `/api/v1/identity-providers/${samlId}`, {
      kind: 'saml',
      name: 'Old IdP',
      defaultRole: 'viewer',
      settings: { idpMetadataXml: idp.metadataXml, acceptSha1: true },
    });
    expect(put.status).toBe(200);
    const accepted = await samlSignIn(hubUrl, idp, samlId, 'sara');
    expect(accepted.location).toBe(`${hubUrl}/`);
    expect(await lastEvent(samlId)).toEqual({
      ok: true,
      reason: null,
      findings: [{ kind: 'sha1', accepted: true }],
    });

    // SHA-256 again: nothing to report.
    idp.hash = 'sha256';
    expect((await samlSignIn(hubUrl, idp, samlId, 'sara')).location).toBe(`${hubUrl}/`);
    expect(await lastEvent(samlId)).toEqual({ ok: true, reason: null, findings: null });
  });

  it('keeps how far a SAML IdP’s clock is off: behind and accepted, ahead and refused', async () => {
    idp.clockOffsetMs = -3 * 60_000;
    expect((await samlSignIn(hubUrl, idp, samlId, 'sara')).location).toBe(`${hubUrl}/`);
    const behind = await lastEvent(samlId);
    expect(behind).toMatchObject({ ok: true, findings: [{ kind: 'clock_skew' }] });
    const seconds = (behind!.findings as { seconds: number }[])[0]!.seconds;
    expect(seconds).toBeGreaterThanOrEqual(-185);
    expect(seconds).toBeLessThanOrEqual(-175);

    // Five minutes ahead: its NotBefore is in the hub's future, refused; the skew still said.
    idp.clockOffsetMs = 5 * 60_000;
    expect((await samlSignIn(hubUrl, idp, samlId, 'sara')).location).toBe(
      `${hubUrl}/login?sso=failed`,
    );
    const ahead = await lastEvent(samlId);
    expect(ahead).toMatchObject({ ok: false, reason: 'invalid_answer' });
    const aheadBy = (ahead!.findings as { kind: string; seconds: number }[])[0]!;
    expect(aheadBy.kind).toBe('clock_skew');
    expect(aheadBy.seconds).toBeGreaterThanOrEqual(295);
    expect(aheadBy.seconds).toBeLessThanOrEqual(305);
    idp.clockOffsetMs = 0;
  });

  it('keeps how far an OpenID provider’s clock is off when its ID token is issued', async () => {
    op.clockOffsetMs = 10 * 60_000;
    const { location } = await oidcSignIn(hubUrl, op, oidcId, 'omid');
    op.clockOffsetMs = 0;
    expect(location).toBe(`${hubUrl}/`);
    const event = await lastEvent(oidcId);
    expect(event).toMatchObject({ ok: true, findings: [{ kind: 'clock_skew' }] });
    const seconds = (event!.findings as { seconds: number }[])[0]!.seconds;
    expect(seconds).toBeGreaterThanOrEqual(595);
    expect(seconds).toBeLessThanOrEqual(605);
    // In step again: nothing.
    await oidcSignIn(hubUrl, op, oidcId, 'omid');
    expect(await lastEvent(oidcId)).toMatchObject({ ok: true, findings: null });
  });

  it('reports the findings per provider', async () => {
    const res = await t.api.request('GET', `/api/v1/sso-report?tenantId=${tenantId}`);
    expect(res.status).toBe(200);
    const findings = (res.body.report as { findings: Record<string, unknown>[] }).findings;
    const of = (providerId: string, kind: string) =>
      findings.find((f) => f.providerId === providerId && f.kind === kind);
    expect(of(samlId, 'sha1')).toMatchObject({
      name: 'Old IdP',
      count: 2,
      signedIn: 1,
      worstSeconds: null,
    });
    expect(of(samlId, 'clock_skew')).toMatchObject({ count: 2, signedIn: 1 });
    expect(of(samlId, 'clock_skew')!.worstSeconds).toBeGreaterThanOrEqual(295);
    expect(of(oidcId, 'clock_skew')).toMatchObject({ name: 'Drifting ID', count: 1, signedIn: 1 });
    expect(findings).toHaveLength(3);
  });
});
