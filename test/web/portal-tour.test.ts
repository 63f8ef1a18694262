import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { ApiClient } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { screenshotDir, SIZES } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

/**
 * Branch staff on their first visit to the portal, on a phone: a few tips walk them through
 * their branch's health, what the help desk already knows, reporting a problem and their
 * notifications; they go back and forth, skip, and the portal remembers it (a reload, another
 * browser); from the Profile page they ask for the tips again and close them with Escape.
 */

const WORDS = {
  en: {
    progress: (n: number) => `Tip ${n} of 4`,
    titles: [
      'Your branch at a glance',
      'Problems the help desk already knows',
      'Something else is wrong?',
      'News about your tickets',
    ],
    next: 'Next',
    back: 'Back',
    done: 'Done',
    skip: 'Skip the tips',
    profile: 'Profile',
    again: 'Show the tips again',
  },
  fa: {
    progress: (n: number) => `نکتهٔ ${new Intl.NumberFormat('fa').format(n)} از ۴`,
    titles: [
      'شعبهٔ شما در یک نگاه',
      'مشکلاتی که پشتیبانی از آن‌ها خبر دارد',
      'مشکل دیگری هست؟',
      'خبرهای تیکت‌های شما',
    ],
    next: 'بعدی',
    back: 'قبلی',
    done: 'تمام',
    skip: 'رد کردن راهنما',
    profile: 'نمایه',
    again: 'نمایش دوبارهٔ راهنما',
  },
  fr: {
    progress: (n: number) => `Conseil ${n} sur 4`,
    titles: [
      'Votre agence en un coup d’œil',
      'Les problèmes déjà connus du support',
      'Autre chose ne va pas ?',
      'Les nouvelles de vos tickets',
    ],
    next: 'Suivant',
    back: 'Précédent',
    done: 'Terminé',
    skip: 'Passer les conseils',
    profile: 'Profil',
    again: 'Revoir les conseils',
  },
} as const;
type Language = keyof typeof WORDS;

const [PHONE, DESKTOP] = SIZES;
const PASSWORD = 'first-visit-pass-1';

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenantId: string;
let branchId: string;

beforeAll(async () => {
  await fs.mkdir(screenshotDir, { recursive: true });
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'kiosk',
    name: 'Kiosk',
    tenant: 'default',
  });
  branchId = branch.id;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function signIn(page: Page, username: string, language: Language) {
  await page.goto(`${t.api.baseUrl}/`);
  await page.evaluate(`localStorage.setItem('bw.language', '${language}')`);
  await page.reload();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('portal-home').waitFor();
}

const tip = (page: Page) => page.getByRole('dialog');

/** The tip shown reads `title`, has the focus, and the page reads well around it. */
async function showsTip(page: Page, language: Language, n: number, username: string) {
  const w = WORDS[language];
  await expect.poll(() => tip(page).getByRole('heading').textContent()).toBe(w.titles[n - 1]);
  expect(await tip(page).getByText(w.progress(n), { exact: true }).count()).toBe(1);
  // Focus moved to the tip, so a screen reader reads it and Tab reaches its buttons first.
  expect(await page.evaluate(`document.activeElement?.getAttribute('role')`)).toBe('dialog');
  // The real place it is about is outlined.
  expect(await page.locator('[data-tour-active]').count()).toBeGreaterThan(0);
  const reading = await readPage(page);
  expect(reading.overflowPx, 'page wider than the window').toBeLessThanOrEqual(0);
  expect(reading.outside).toEqual([]);
  expect(wordProblems(reading.texts, language, [username, 'Kiosk'], new Set())).toEqual([]);
}

describe.each([
  ['en', PHONE],
  ['fa', PHONE],
  ['fr', PHONE],
  ['en', DESKTOP],
  ['fa', DESKTOP],
] as const)('the first-visit tour in %s at %o', (language, size) => {
  const w = WORDS[language];
  const tag = `${language}-${size.width}`;

  it('shows the tips once, back and forth, skipped for good, and again from the Profile page', async () => {
    const username = `first-${tag}`;
    await t.api.post('/api/v1/users', {
      username,
      password: PASSWORD,
      role: 'requester',
      tenantId,
      branchIds: [branchId],
    });
    const staff = new ApiClient(t.api.baseUrl);
    await staff.login(username, PASSWORD);
    const done = async () =>
      (await staff.get<{ tour: { done: boolean } }>('/api/v1/portal/tour')).tour.done;

    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize({ width: size.width, height: size.height });
      await signIn(page, username, language);
      if (language === 'fa') expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      // First visit: the first tip, about the branch's health.
      await showsTip(page, language, 1, username);
      await page.screenshot({ path: path.join(screenshotDir, `portal-tour-1-${tag}.png`) });
      await tip(page).getByRole('button', { name: w.next }).click();
      await showsTip(page, language, 2, username);
      await page.screenshot({ path: path.join(screenshotDir, `portal-tour-2-${tag}.png`) });
      await tip(page).getByRole('button', { name: w.back }).click();
      await showsTip(page, language, 1, username);
      await tip(page).getByRole('button', { name: w.next }).click();
      await tip(page).getByRole('button', { name: w.next }).click();
      await showsTip(page, language, 3, username);
      await page.screenshot({ path: path.join(screenshotDir, `portal-tour-3-${tag}.png`) });
      await tip(page).getByRole('button', { name: w.next }).click();
      await showsTip(page, language, 4, username);
      expect(await tip(page).getByRole('button', { name: w.done }).count()).toBe(1);
      await page.screenshot({ path: path.join(screenshotDir, `portal-tour-4-${tag}.png`) });

      // Skipped: gone, remembered on the hub, not shown after a reload.
      await tip(page).getByRole('button', { name: w.skip }).click();
      await expect.poll(() => tip(page).count()).toBe(0);
      await expect.poll(done).toBe(true);
      const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/portal/tour'));
      await page.reload();
      await page.getByTestId('portal-home').waitFor();
      expect((await asked).status()).toBe(200);
      expect(await tip(page).count()).toBe(0);
      expect(await page.locator('[data-tour-active]').count()).toBe(0);

      // Profile → "show the tips again": home with the first tip; Escape closes them again.
      const profileNav = size === PHONE ? 'portal-tab-profile' : 'portal-nav-profile';
      await page.getByTestId(profileNav).click();
      await page.getByRole('button', { name: w.again }).click();
      await page.getByTestId('portal-home').waitFor();
      await showsTip(page, language, 1, username);
      expect(await done()).toBe(false);
      await page.keyboard.press('Escape');
      await expect.poll(() => tip(page).count()).toBe(0);
      await expect.poll(done).toBe(true);
      expect(await page.getByText(w.profile).count()).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
