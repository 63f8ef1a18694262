import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_PASSWORD, startDirectory, type TestDirectory } from '../support/directory.js';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
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
 * A tenant's admin sets up their LDAP directory in Admin → Sign-in providers, in Chromium
 * against a real hub and Debian's slapd on loopback: adds the provider with a rule, tests it
 * with a person of the directory and reads the role it would give, requires sign-in through
 * it keeping themselves as break-glass; then a person of the directory signs in on the login
 * page with their work e-mail and lands as NOC operator, and a local account is told to use
 * the organisation's account. The page is walked at 390×844 and 1440×900 in en, fa and fr.
 */

const TINA = 'tina-admin-password';

let t: TestHub;
let slapd: TestDirectory;
let reader: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenantId: string;
const shots = path.join(screenshotDir, 'sign-in-providers');

const people = () => slapd.people;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  slapd = await startDirectory({
    people: [{ uid: 'ali', name: 'Ali Rahimi', mail: 'ali@example.org' }],
    groups: [{ cn: 'NOC Staff', members: ['service', 'ali'] }],
  });
  reader = slapd.serviceDn;
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  await t.api.post('/api/v1/users', {
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
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await slapd?.stop();
});

async function openPage(size: (typeof SIZES)[number], language: (typeof LANGUAGES)[number]) {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: size.width, height: size.height });
  await signIn(page, `${t.api.baseUrl}/admin/sso`, 'tina', TINA);
  await useScheme(page, 'light');
  await chooseLanguage(page, language);
  return page;
}

describe("a tenant's admin and their directory", () => {
  it('adds the directory, tests it, requires it, and a person of the directory signs in', async () => {
    const page = await openPage(SIZES[1], 'en');
    await page
      .getByText('No provider yet: everyone signs in with a password of this hub.')
      .waitFor();

    await page.getByRole('button', { name: 'Add a provider' }).click();
    const dialog = page.getByTestId('provider-dialog');
    await dialog.getByLabel('Kind').selectOption({ label: 'LDAP or Active Directory' });
    await dialog.getByLabel('Name').fill('Head office directory');
    await dialog.getByLabel('E-mail domains').fill('example.org');
    await dialog.getByLabel('Directory address').fill(slapd.url);
    await dialog.getByLabel('Service account', { exact: true }).fill(reader);
    await dialog.getByLabel('Where people are').fill(people());
    await dialog.getByLabel('Search filter').fill('(|(uid={username})(mail={username}))');
    await dialog.getByLabel('Groups from').selectOption('memberOf');
    await dialog.getByLabel("Service account's password").fill(SERVICE_PASSWORD);
    await dialog.getByRole('button', { name: 'Add a rule' }).click();
    await dialog.getByLabel('Group', { exact: true }).fill('NOC Staff');
    await dialog.getByLabel('Role', { exact: true }).selectOption({ label: 'NOC operator' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('provider-row').filter({ hasText: 'Head office directory' });
    await expect.poll(() => row.textContent()).toContain('LDAP or Active Directory');
    expect(await row.textContent()).toContain('example.org');

    // The test: what the directory answers for Ali, and what he would get.
    await row.getByRole('button', { name: 'Test' }).click();
    const test = page.getByTestId('provider-test-dialog');
    await test.getByLabel('Username').fill('ali');
    await test.getByLabel('Password', { exact: true }).fill('ali-directory-password');
    await test.getByRole('button', { name: 'Try signing in' }).click();
    const answer = test.getByTestId('provider-test-answer');
    await expect.poll(() => answer.textContent()).toContain('The directory accepted the password.');
    const said = (await answer.textContent()) ?? '';
    expect(said).toContain('Ali Rahimi');
    expect(said).toContain('NOC Staff');
    expect(said).toContain('Would sign in as NOC operator, branches: all branches');
    await test.getByLabel('Password', { exact: true }).fill('not-his-password');
    await test.getByRole('button', { name: 'Try signing in' }).click();
    await expect.poll(() => answer.textContent()).toContain('The directory refused the password.');
    await page.screenshot({ path: path.join(shots, 'test-desktop-en.png'), fullPage: true });
    await page.keyboard.press('Escape');

    // Only the provider from now on, Tina kept as break-glass. Without her: refused.
    const rule = page.getByTestId('sign-in-rule');
    await rule.scrollIntoViewIfNeeded();
    await rule.getByLabel('Require sign-in through a provider').check({ force: true });
    await rule.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => rule.textContent())
      .toContain('Keep at least one tenant administrator among the break-glass accounts');
    await rule.getByLabel('tina').check({ force: true });
    await rule.getByRole('button', { name: 'Save' }).click();
    await rule.getByText('Saved.').waitFor();
    await page.screenshot({ path: path.join(shots, 'rule-desktop-en.png'), fullPage: true });
    await page.close();

    // Ali signs in with his work e-mail and the directory's password, and lands as NOC operator.
    await browser.context.clearCookies();
    const ali = await browser.context.newPage();
    await ali.setViewportSize({ width: 1440, height: 900 });
    await signIn(ali, `${t.api.baseUrl}/`, 'ali@example.org', 'ali-directory-password');
    const me = (await ali.evaluate(async () => (await fetch('/api/v1/auth/me')).json())) as {
      user: unknown;
    };
    expect(me.user).toMatchObject({ username: 'ali@example.org', role: 'noc_operator' });
    await ali.close();

    // Omid's local password is no longer the way in: he is told so, in words.
    await browser.context.clearCookies();
    const omid = await browser.context.newPage();
    await omid.goto(`${t.api.baseUrl}/`);
    await omid.getByTestId('login-username').fill('omid');
    await omid.getByTestId('login-password').fill('omid-local-password');
    await omid.getByTestId('login-submit').click();
    await omid
      .getByText('Your organisation signs in through its own account: type your work e-mail')
      .waitFor();
    await omid.close();
  });

  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`reads the page and its dialogs without overflow (${size.name}, ${language})`, async () => {
        const page = await openPage(size, language);
        await page.getByTestId('provider-row').first().waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({
          path: path.join(shots, `list-${size.name}-${language}.png`),
          fullPage: true,
        });
        await page.getByTestId('provider-edit').first().click();
        const dialog = page.getByTestId('provider-dialog');
        await dialog.getByTestId('rule-row').first().waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `edit-${size.name}-${language}.png`) });
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        await page.getByTestId('provider-test').first().click();
        const test = page.getByTestId('provider-test-dialog');
        await test.getByTestId('provider-test-username').fill('ali');
        await test.getByTestId('provider-test-password').fill('ali-directory-password');
        await test.getByTestId('provider-test-run').click();
        await test.getByTestId('provider-test-answer').waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `test-${size.name}-${language}.png`) });
        await page.close();
      });
});

describe("an OpenID Connect provider's redirect URI", () => {
  it('is shown to copy in the provider dialog, in every language and size', async () => {
    const { provider } = await t.api.post<{ provider: { id: string; redirectUrl: string } }>(
      '/api/v1/identity-providers',
      {
        tenantId,
        kind: 'oidc',
        name: 'Keycloak',
        domains: [],
        settings: { issuer: 'https://id.example.com/realms/acme', clientId: 'bw-hub' },
        clientSecret: 'client-secret-value',
        rules: [],
      },
    );
    for (const size of SIZES)
      for (const language of LANGUAGES) {
        const page = await openPage(size, language);
        const row = page.getByTestId('provider-row').filter({ hasText: 'Keycloak' });
        await row.getByTestId('provider-edit').click();
        const shown = page.getByTestId('provider-redirect-url');
        await shown.waitFor();
        expect(await shown.textContent()).toBe(provider.redirectUrl);
        expect(provider.redirectUrl).toBe(`${t.api.baseUrl}/sso/${provider.id}/callback`);
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `redirect-${size.name}-${language}.png`) });
        await page.close();
      }
  });
});
