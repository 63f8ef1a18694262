import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { noHorizontalOverflow, screenshotDir, SIZES, LANGUAGES } from '../support/web-page.js';

/**
 * The login page with a tenant's identity providers, in Chromium against a real hub and a real
 * OpenID Provider (`oidc-provider`) on loopback: a person of tenant A signs in with A's button,
 * or by typing their work address, and lands with the role their groups map to; tenant B's
 * provider signs nobody into tenant A; a refusal is said in words. The page is walked at a
 * phone's size and a desktop's, in English, Persian and French.
 */

const BUTTON = {
  en: 'Sign in with North ID',
  fa: 'ورود با North ID',
  fr: 'Se connecter avec North ID',
};
const ROUTED = {
  en: 'Your organisation signs you in through North ID.',
  fa: 'سازمان شما از راه North ID وارد می‌کند.',
  fr: 'Votre organisation vous connecte via North ID.',
};
const NO_ROLE = {
  en: 'Your organisation does not give you access to this hub.',
  fa: 'سازمان شما به شما دسترسی به این هاب نمی‌دهد.',
  fr: 'Votre organisation ne vous donne pas accès à ce hub.',
};

/** The text with the provider's name as the page puts it: isolated from the text around it. */
const withName = (text: string) =>
  new RegExp(
    text
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace('North ID', '[\u2066-\u2069]?North ID[\u2066-\u2069]?'),
  );

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let opA: TestOidcProvider;
let opB: TestOidcProvider;
let providerA: string;
let providerB: string;
let tenantA: string;
let branchA: string;
const shots = path.join(screenshotDir, 'sso-login');

async function addProvider(op: TestOidcProvider, slug: string, body: Record<string, unknown>) {
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug,
  });
  const branch = (
    await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: `${slug}-hq`,
      tenant: slug,
    })
  ).branch.id;
  const res = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'oidc',
    tenantId: tenant.id,
    settings: { issuer: op.issuer, clientId: `hub-${slug}` },
    clientSecret: `secret-${slug}`,
    ...body,
    rules: [{ claim: 'groups', value: 'noc', role: 'noc_operator', branchIds: [branch] }],
  });
  expect(res.status).toBe(201);
  const provider = res.body.provider as { id: string; redirectUrl: string };
  op.configure({
    clientId: `hub-${slug}`,
    clientSecret: `secret-${slug}`,
    redirectUri: provider.redirectUrl,
    postLogoutRedirectUri: `${t.api.baseUrl}/login`,
  });
  return { id: provider.id, tenantId: tenant.id, branch };
}

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  [opA, opB] = await Promise.all([startOidcProvider(), startOidcProvider()]);
  const a = await addProvider(opA, 'north', { name: 'North ID', domains: ['north.example'] });
  const b = await addProvider(opB, 'south', { name: 'South ID', domains: ['south.example'] });
  providerA = a.id;
  providerB = b.id;
  tenantA = a.tenantId;
  branchA = a.branch;
  opA.people.set('nadia', { email: 'nadia@north.example', groups: ['noc'] });
  opA.people.set('omid', { email: 'omid@north.example', groups: ['marketing'] });
  opB.people.set('mallory', { email: 'mallory@north.example', groups: ['noc'] });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await opA?.stop();
  await opB?.stop();
});

async function fresh(size: (typeof SIZES)[number] = SIZES[1]) {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: size.width, height: size.height });
  return page;
}

/** At the test provider's sign-in page: the login name, then back to the hub. */
async function atProvider(page: Page, login: string) {
  await page.getByLabel('Login').fill(login);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('signing in through the organisation’s provider', () => {
  it('with the tenant’s button: the person lands with the role their groups map to', async () => {
    const page = await fresh();
    await page.goto(`${t.api.baseUrl}/login?tenant=north`);
    await page.getByText(BUTTON.en).click();
    await atProvider(page, 'nadia');
    await page.getByTestId('current-user').waitFor();
    await expect
      .poll(() => page.getByTestId('current-user').textContent())
      .toBe('nadia@north.example · NOC operator');
    const { items } = await t.api.get<{
      items: { username: string; tenantId: string; branchIds: string[] }[];
    }>(`/api/v1/users?tenantId=${tenantA}`);
    expect(items.find((u) => u.username === 'nadia@north.example')).toMatchObject({
      tenantId: tenantA,
      branchIds: [branchA],
    });
    await page.close();
  });

  it('by the work address: the domain routes to the provider instead of a password', async () => {
    const page = await fresh();
    await page.goto(`${t.api.baseUrl}/`);
    await page.getByTestId('login-username').fill('nadia@north.example');
    await page.getByTestId('login-username').blur();
    await page.getByText(ROUTED.en).waitFor();
    expect(await page.getByTestId('login-password').count()).toBe(0);
    await page.getByText('Continue with North ID').click();
    await atProvider(page, 'nadia');
    await expect
      .poll(() => page.getByTestId('current-user').textContent())
      .toBe('nadia@north.example · NOC operator');
    await page.close();
  });

  it('tenant B’s provider signs nobody into tenant A; a person without a role is told why', async () => {
    const page = await fresh();
    // Mallory's address is in tenant A's domain, but tenant B's provider vouches for her.
    await page.goto(`${t.api.baseUrl}/login?tenant=south`);
    await page.getByText('Sign in with South ID').click();
    await atProvider(page, 'mallory');
    await page.getByTestId('current-user').waitFor();
    const { items } = await t.api.get<{ items: { username: string; tenantId: string }[] }>(
      '/api/v1/users',
    );
    const mallory = items.find((u) => u.username === 'mallory@north.example')!;
    expect(mallory.tenantId).not.toBe(tenantA);
    await page.close();

    const refused = await fresh();
    await refused.goto(`${t.api.baseUrl}/login?tenant=north`);
    await refused.getByText(BUTTON.en).click();
    await atProvider(refused, 'omid');
    await refused.getByText(NO_ROLE.en).waitFor();
    expect(refused.url()).toBe(`${t.api.baseUrl}/login`);
    await refused.close();
    expect(providerB).not.toBe(providerA);
  });
});

describe('the login page, walked', () => {
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`reads in ${language} at ${size.name} size`, async () => {
        const page = await fresh(size);
        await page.goto(`${t.api.baseUrl}/login?tenant=north`);
        await page.getByTestId('login-language').selectOption(language);
        await page.getByText(withName(BUTTON[language])).waitFor();
        await page.getByTestId('login-username').fill('someone@north.example');
        await page.getByTestId('login-username').blur();
        await page.getByText(withName(ROUTED[language])).waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `buttons-${size.name}-${language}.png`) });
        await page.goto(`${t.api.baseUrl}/login?sso=no-role`);
        await page.getByText(NO_ROLE[language]).waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `refused-${size.name}-${language}.png`) });
        await page.close();
      });
});
