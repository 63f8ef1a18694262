import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startSamlIdp, type TestSamlIdp } from '../support/saml-idp.js';
import { noHorizontalOverflow, screenshotDir, SIZES, LANGUAGES } from '../support/web-page.js';

/**
 * Signing in through a tenant's SAML 2.0 IdP in Chromium, against a real hub and an IdP built on
 * samlify on loopback: the tenant's login page shows "Sign in with <provider>", the IdP's page
 * posts its signed response to the hub's ACS, and the person lands with the role and branches
 * their groups map to; a work address typed on the login page is routed to the IdP. Walked at a
 * phone's size and a desktop's, in English, Persian and French.
 */

const BUTTON = {
  en: 'Sign in with East SAML',
  fa: 'ورود با East SAML',
  fr: 'Se connecter avec East SAML',
};

/** The text with the provider's name as the page puts it: isolated from the text around it. */
const withName = (text: string) =>
  new RegExp(
    text
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace('East SAML', '[\u2066-\u2069]?East SAML[\u2066-\u2069]?'),
  );

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let idp: TestSamlIdp;
let tenantA: string;
let branchA: string;
const shots = path.join(screenshotDir, 'saml-login');

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  idp = await startSamlIdp();
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'east',
    name: 'East',
  });
  tenantA = tenant.id;
  await t.api.post('/api/v1/branches', { slug: 'east-hq', tenant: 'east' });
  branchA = (
    await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'east-depot',
      tenant: 'east',
    })
  ).branch.id;
  const res = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'saml',
    tenantId: tenantA,
    name: 'East SAML',
    domains: ['east.example'],
    settings: { idpMetadataXml: idp.metadataXml },
    rules: [{ claim: 'groups', value: 'East NOC', role: 'noc_operator', branchIds: [branchA] }],
  });
  expect(res.status).toBe(201);
  idp.people.set('nadia', { email: 'nadia@east.example', groups: ['Staff', 'East NOC'] });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await idp?.stop();
});

async function fresh(size: (typeof SIZES)[number] = SIZES[1]) {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: size.width, height: size.height });
  return page;
}

/** At the test IdP's sign-in page: the login name; its page then posts to the hub's ACS. */
async function atIdp(page: Page, login: string) {
  await page.getByLabel('Login').fill(login);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('signing in through the organisation’s SAML IdP', () => {
  it('with the tenant’s button: the person lands with the role and branches their groups map to', async () => {
    const page = await fresh();
    await page.goto(`${t.api.baseUrl}/login?tenant=east`);
    await page.getByText(BUTTON.en).click();
    await atIdp(page, 'nadia');
    await expect
      .poll(() => page.getByTestId('current-user').textContent(), { timeout: 20_000 })
      .toBe('nadia@east.example · NOC operator');
    // The overview shows the branch the groups map to, and not the tenant's other one.
    await page.getByText('east-depot', { exact: true }).waitFor();
    expect(await page.getByText('east-hq', { exact: true }).count()).toBe(0);
    const { items } = await t.api.get<{
      items: { username: string; tenantId: string; branchIds: string[] }[];
    }>(`/api/v1/users?tenantId=${tenantA}`);
    expect(items.find((u) => u.username === 'nadia@east.example')).toMatchObject({
      tenantId: tenantA,
      branchIds: [branchA],
    });
    await page.close();
  });

  it('by the work address: the domain routes to the IdP instead of a password', async () => {
    const page = await fresh();
    await page.goto(`${t.api.baseUrl}/`);
    await page.getByTestId('login-username').fill('nadia@east.example');
    await page.getByTestId('login-username').blur();
    await page.getByText('Your organisation signs you in through East SAML.').waitFor();
    expect(await page.getByTestId('login-password').count()).toBe(0);
    await page.getByText('Continue with East SAML').click();
    await atIdp(page, 'nadia');
    await expect
      .poll(() => page.getByTestId('current-user').textContent(), { timeout: 20_000 })
      .toBe('nadia@east.example · NOC operator');
    await page.close();
  });
});

describe('the SAML sign-in, walked', () => {
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`reads in ${language} at ${size.name} size`, async () => {
        const page = await fresh(size);
        await page.goto(`${t.api.baseUrl}/login?tenant=east`);
        await page.getByTestId('login-language').selectOption(language);
        await page.getByText(withName(BUTTON[language])).waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `button-${size.name}-${language}.png`) });
        await page.getByText(withName(BUTTON[language])).click();
        await atIdp(page, 'nadia');
        await expect
          .poll(() => page.getByTestId('current-user').textContent(), { timeout: 20_000 })
          .toMatch(/^\u2068?nadia@east\.example\u2069? · /);
        await page.getByText('east-depot', { exact: true }).waitFor();
        expect(await page.getByText('east-hq', { exact: true }).count()).toBe(0);
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `landed-${size.name}-${language}.png`) });
        await page.close();
      });
});
