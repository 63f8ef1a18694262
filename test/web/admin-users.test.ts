import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { chooseLanguage, screenshotDir, signIn, useScheme } from '../support/web-page.js';

/**
 * The tenant admin's story: at a desk, Tina (admin of one tenant) adds Sara, a support agent
 * for the Head office and Shiraz branches. Sara signs in on her phone, in Persian, and sees
 * those two branches and their tickets, not Tabriz's. She forgets her password: Tina gives her a
 * new one from her phone, in French. Then Tina disables her.
 */

const TINA = 'tina-admin-password';
const SARA = 'sara-support-password';
const SARA_NEW = 'sara-new-password-2';

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = path.join(screenshotDir, 'admin-users');

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const { items: tenants } = await t.api.get<{ items: { id: string; slug: string }[] }>(
    '/api/v1/tenants',
  );
  const tenantId = tenants.find((x) => x.slug === 'default')!.id;
  for (const [slug, name] of [
    ['hq', 'Head office'],
    ['shiraz', 'Shiraz'],
    ['tabriz', 'Tabriz'],
  ] as const) {
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug,
      name,
    });
    await t.api.post('/api/v1/tickets', {
      subject: `Printer offline in ${name}`,
      body: 'Called in: the receipt printer shows an error light.',
      branchId: branch.id,
      priority: 'normal',
    });
  }
  await t.api.post('/api/v1/users', {
    username: 'tina',
    password: TINA,
    role: 'tenant_admin',
    tenantId,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

/** Signs out through the header (a phone's menu, a desktop's button). */
async function signOut(page: Page) {
  if ((page.viewportSize()?.width ?? 1280) < 992) {
    await page.getByTestId('header-menu').click();
    await page.getByTestId('menu-logout').click();
  } else await page.getByTestId('logout').click();
  await page.getByTestId('login-username').waitFor();
}

/** A sign-in the hub refuses: the login form says so and stays. */
async function refusedSignIn(page: Page, username: string, password: string) {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect
    .poll(() => page.getByRole('alert').first().textContent(), { timeout: 10_000 })
    .toBeTruthy();
  expect(await page.getByTestId('login-username').isVisible()).toBe(true);
}

describe('a tenant admin adds a support agent for two branches', () => {
  it('who then signs in and sees only those branches and their tickets', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/admin/users`, 'tina', TINA);
    await useScheme(page, 'light');
    await chooseLanguage(page, 'en');

    // Tina's tenant is the only one: no tenant to pick, the branches are hers.
    const form = page.getByTestId('new-user');
    await form.waitFor();
    expect(await page.getByTestId('user-tenant').count()).toBe(0);
    expect(await page.getByTestId('user-role').locator('option').allTextContents()).not.toContain(
      'administrator',
    );
    // The password box takes a password a person can read back, not 70 px.
    const box = await page.getByTestId('user-password').boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(200);

    await page.getByTestId('user-username').fill('sara');
    await page.getByTestId('user-password').fill(SARA);
    await page.getByTestId('user-role').selectOption('support_agent');
    await page.getByTestId('user-branches').click();
    await page.getByRole('option', { name: 'Head office' }).click();
    await page.getByRole('option', { name: 'Shiraz' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('user-create').click();

    const row = page.locator('[data-testid=user-row][data-username=sara]');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/support agent/);
    expect(await row.textContent()).toMatch(/Head office, Shiraz|Shiraz, Head office/);
    await shot(page, 'desktop-en-created');
    await signOut(page);

    // Sara, on her phone, in Persian.
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, `${t.api.baseUrl}/`, 'sara', SARA);
    await chooseLanguage(page, 'fa');
    const branches = page.getByTestId('branch');
    await expect.poll(() => branches.count()).toBe(2);
    const names = (await branches.allTextContents()).join(' | ');
    expect(names).toContain('Head office');
    expect(names).toContain('Shiraz');
    expect(names).not.toContain('Tabriz');
    await shot(page, 'phone-fa-overview');

    // The queue, whatever its layout: what the page says is what Sara reads.
    await page.goto(`${t.api.baseUrl}/tickets`);
    const text = () => page.locator('body').innerText();
    await expect.poll(text).toContain('Printer offline in Head office');
    expect(await text()).toContain('Printer offline in Shiraz');
    expect(await text()).not.toContain('Tabriz');
    await shot(page, 'phone-fa-tickets');
    await signOut(page);

    // Sara forgot her password. Tina, on her phone in French, gives her a new one in Sara's
    // dialog; the old one stops working, the new one signs Sara in.
    await signIn(page, `${t.api.baseUrl}/admin/users`, 'tina', TINA);
    await chooseLanguage(page, 'fr');
    await row.getByTestId('user-edit').click();
    await page.getByTestId('user-new-password').fill(SARA_NEW);
    await expect
      .poll(() => page.getByTestId('user-new-password-warning').textContent())
      .toMatch(/sara se connecte avec ce mot de passe seulement/);
    await page.screenshot({ path: path.join(shots, 'phone-fr-new-password.png') });
    await page.getByTestId('user-save').click();
    await page.getByTestId('user-dialog').waitFor({ state: 'hidden' });
    await signOut(page);
    await refusedSignIn(page, 'sara', SARA);
    await signIn(page, `${t.api.baseUrl}/`, 'sara', SARA_NEW);
    await expect.poll(() => page.getByTestId('branch').count()).toBe(2);
    await signOut(page);

    // Tina disables Sara: her sign-in is refused from then on.
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/admin/users`, 'tina', TINA);
    await chooseLanguage(page, 'en');
    await row.getByTestId('user-edit').click();
    await page.getByTestId('user-disabled').check();
    await page.getByTestId('user-save').click();
    await expect.poll(() => row.textContent()).toMatch(/disabled/);
    await signOut(page);
    await refusedSignIn(page, 'sara', SARA_NEW);
    await page.close();
  });
});
