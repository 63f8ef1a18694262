import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_PASSWORD, startDirectory, type TestDirectory } from '../support/directory.js';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { ApiClient } from '../support/http.js';
import { samlSignIn, startSamlIdp, type TestSamlIdp } from '../support/saml-idp.js';
import {
  chooseLanguage,
  noHorizontalOverflow,
  screenshotDir,
  signIn,
  useScheme,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';

/**
 * A tenant's admin reads Admin → Sign-in security in Chromium, against a real hub and Debian's
 * slapd on loopback: people signed in through the tenant's directory, one with a wrong password,
 * one the directory does not know, a local account refused because the tenant requires its
 * provider; the admin signs in as the break-glass account, which opens a ticket in their queue.
 * A SAML IdP (samlify) signs one answer with SHA-1 (refused) and answers once with its clock four
 * minutes behind: the report names both findings in words.
 * The report says all of it in words, with dates in the reader's calendar; the page is walked at
 * 390×844 and 1440×900 in en, fa and fr.
 */

const TINA = 'tina-admin-password';

let t: TestHub;
let slapd: TestDirectory;
let idp: TestSamlIdp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = path.join(screenshotDir, 'sso-report');
const people = () => slapd.people;

const login = (username: string, password: string) =>
  new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', { username, password });

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  slapd = await startDirectory({
    people: [{ uid: 'ali', name: 'Ali Rahimi' }],
    groups: [{ cn: 'NOC Staff', members: ['service', 'ali'] }],
  });
  const reader = slapd.serviceDn;
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  const tenantId = items.find((x) => x.slug === 'default')!.id;
  const { user: tina } = await t.api.post<{ user: { id: string } }>('/api/v1/users', {
    username: 'tina',
    password: TINA,
    role: 'tenant_admin',
    tenantId,
  });
  await t.api.post('/api/v1/users', {
    username: 'omid',
    password: 'omid-local-password',
    role: 'viewer',
    tenantId,
  });
  await t.api.post('/api/v1/users', {
    username: 'parisa',
    password: 'parisa-local-password',
    role: 'support_agent',
    tenantId,
  });
  await t.api.post('/api/v1/identity-providers', {
    tenantId,
    kind: 'ldap',
    name: 'Head office directory',
    domains: ['example.org'],
    settings: {
      url: slapd.url,
      bindDn: reader,
      userBaseDn: people(),
      userFilter: '(|(uid={username})(mail={username}))',
      groupLookup: 'memberOf',
    },
    bindPassword: SERVICE_PASSWORD,
    rules: [{ claim: 'groups', value: 'NOC Staff', role: 'noc_operator' }],
  });
  // Through the directory: in, a wrong password, somebody it does not know.
  expect((await login('ali@example.org', 'ali-directory-password')).status).toBe(200);
  expect((await login('ali@example.org', 'not-his-password')).status).toBe(401);
  expect((await login('nobody@example.org', 'any-password-1')).status).toBe(401);
  expect((await login('omid', 'omid-local-password')).status).toBe(200);
  idp = await startSamlIdp();
  idp.people.set('sara', { email: 'sara@legacy.example', groups: [] });
  const saml = await t.api.post<{ provider: { id: string } }>('/api/v1/identity-providers', {
    tenantId,
    kind: 'saml',
    name: 'Legacy IdP',
    defaultRole: 'viewer',
    settings: { idpMetadataXml: idp.metadataXml },
  });
  idp.hash = 'sha1';
  const refused = await samlSignIn(t.api.baseUrl, idp, saml.provider.id, 'sara');
  expect(refused.location).toBe(`${t.api.baseUrl}/login?sso=failed`);
  idp.hash = 'sha256';
  idp.clockOffsetMs = -4 * 60_000;
  const late = await samlSignIn(t.api.baseUrl, idp, saml.provider.id, 'sara');
  expect(late.location).toBe(`${t.api.baseUrl}/`);
  await t.api.request('PUT', '/api/v1/sign-in-settings', {
    tenantId,
    ssoRequired: true,
    breakGlassUserIds: [tina.id],
  });
  expect((await login('omid', 'omid-local-password')).status).toBe(403);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await slapd?.stop();
  await idp?.stop();
});

async function openReport(size: (typeof SIZES)[number], language: (typeof LANGUAGES)[number]) {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: size.width, height: size.height });
  // Tina signs in with her password: a break-glass sign-in each time.
  await signIn(page, `${t.api.baseUrl}/admin/security`, 'tina', TINA);
  await useScheme(page, 'light');
  await chooseLanguage(page, language);
  return page;
}

describe('Admin → Sign-in security', () => {
  it("tells a tenant's admin how people signed in, and the break-glass use is a ticket", async () => {
    const page = await openReport(SIZES[1], 'en');
    const providers = page.getByTestId('sso-report-providers');
    await providers.getByText('Head office directory').waitFor();
    const row = providers.locator('tr').filter({ hasText: 'Head office directory' });
    expect(await row.innerText()).toMatch(/LDAP \/ Active Directory\s+1\s+2/);
    const password = providers.locator('tr').filter({ hasText: "The hub's own password" });
    // omid once, tina now; refused: omid once the provider was required.
    expect(await password.innerText()).toMatch(/2\s+1$/);

    const reasons = await page.getByTestId('sso-report-reasons').innerText();
    expect(reasons).toContain('The directory refused the password');
    expect(reasons).toContain('Not found in the directory');
    expect(reasons).toContain('Password refused: the organisation signs in through its provider');
    expect(reasons).toContain("The provider's answer was refused (unsigned, SHA-1, expired");
    expect(reasons).not.toMatch(
      /invalid_credentials|not_in_directory|provider_required|Other reason/,
    );

    const findings = await page.getByTestId('sso-report-findings').innerText();
    expect(findings).toMatch(
      /Legacy IdP\s+SHA-1 signature\s+SHA-1 answers: 1 — 0 accepted, 1 refused · last on \w{3} \d{1,2}, \d{4}/,
    );
    expect(findings).toMatch(
      /Legacy IdP\s+Clock skew\s+Clock up to 4 min behind the hub's · answers: 1 · last on/,
    );

    const glass = await page.getByTestId('sso-report-break-glass').innerText();
    expect(glass).toMatch(/tina on \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M from 127\.0\.0\.1/);
    const never = await page.getByTestId('sso-report-never').innerText();
    expect(never).toContain('parisa');
    expect(never).toContain('support agent');
    expect(never).not.toContain('omid');
    expect(never).not.toContain('tina');

    // The CSV the button downloads starts with a byte order mark and says reasons in words.
    const href = await page.getByTestId('sso-report-csv').getAttribute('href');
    const bytes = await page.evaluate(async (url) => {
      const res = await fetch(url!);
      return [...new Uint8Array(await res.arrayBuffer())];
    }, href);
    expect(bytes.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    expect(Buffer.from(bytes.slice(3)).toString('utf8')).toContain(
      'The directory refused the password,1',
    );
    await page.screenshot({ path: path.join(shots, 'journey-desktop-en.png'), fullPage: true });

    // The break-glass sign-in is a ticket in Tina's queue.
    await page.goto(`${t.api.baseUrl}/tickets`);
    await page.getByText('A break-glass account signed in with a password').first().waitFor();
    await page.close();
  });

  it("asks a global admin's report for a tenant from the first request: no refusal shown while the tenants load", async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    const answers: number[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname === '/api/v1/sso-report') answers.push(res.status());
    });
    await signIn(page, `${t.api.baseUrl}/admin/security`);
    await chooseLanguage(page, 'en');
    await page.getByTestId('sso-report-providers').waitFor();
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((status) => status !== 200)).toEqual([]);
    expect(await page.getByTestId('admin-error').count()).toBe(0);
    await page.close();
  });

  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`reads the report without overflow (${size.name}, ${language})`, async () => {
        const page = await openReport(size, language);
        await page.getByTestId('sso-report-providers').getByText('Head office directory').waitFor();
        await page.getByTestId('sso-report-findings').getByText('Legacy IdP').first().waitFor();
        await noHorizontalOverflow(page);
        const text = await page.getByTestId('sso-report-page').innerText();
        expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
        expect(text).not.toMatch(
          /invalid_credentials|not_in_directory|provider_required|ldap\b|clock_skew|sha1\b/,
        );
        if (language === 'fa') expect(text).toMatch(/[۰-۹]{4}/);
        await page.screenshot({
          path: path.join(shots, `report-${size.name}-${language}.png`),
          fullPage: true,
        });
        await page.close();
      });
});
