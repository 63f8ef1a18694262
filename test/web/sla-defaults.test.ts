import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { chooseLanguage, screenshotDir, signIn, SIZES } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

/**
 * A tenant admin in Iran adds an SLA calendar: the form starts from their branches' zone, Iran's
 * working week (Saturday to Wednesday) and its public holidays, which they trim before saving;
 * another zone brings that country's week. Then the page at 390×844 and 1440×900 in three
 * languages, read as the walk reads pages.
 */

const PASSWORD = 'pars-admin-password-1';
const shots = path.join(screenshotDir, 'sla-defaults');
let t: TestHub;
let tenantId: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'pars',
    name: 'Pars Retail',
  });
  tenantId = tenant.id;
  for (const [slug, name] of [
    ['pars-tehran', 'Tehran store'],
    ['pars-shiraz', 'Shiraz store'],
  ]) {
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug,
      name,
      tenant: 'pars',
    });
    await t.api.request('PATCH', `/api/v1/branches/${branch.id}`, { timeZone: 'Asia/Tehran' });
  }
  await t.api.post('/api/v1/users', {
    username: 'parvin',
    password: PASSWORD,
    role: 'tenant_admin',
    tenantId,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const persianOnly = (s: string | null) => s?.replace(/[\u2067\u2068\u2069]/g, '') ?? '';

describe('SLA calendar defaults', () => {
  it("start from the tenant's zone and country, and the person edits them", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/admin/sla`, 'parvin', PASSWORD);
    await chooseLanguage(page, 'fa');
    // The form asks for the defaults in the language it opens in.
    await page.reload();
    const zone = page.getByTestId('calendar-zone');
    await expect.poll(() => zone.inputValue()).toBe('Asia/Tehran');
    expect(await page.getByTestId('calendar-hours').inputValue()).toBe('08:00-16:00');
    for (const day of ['شنبه', 'یکشنبه', 'دوشنبه', 'سه‌شنبه', 'چهارشنبه'])
      expect(await page.getByRole('checkbox', { name: day, exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'جمعه', exact: true }).isChecked()).toBe(false);
    const holidays = page.getByTestId('sla-holiday');
    await expect.poll(() => holidays.count()).toBeGreaterThan(10);
    const names = (await holidays.allTextContents()).map(persianOnly);
    // Nowruz is four days off, once or twice in the list (before 21 March, this year's too).
    const nowruz = names.filter((n) => n.endsWith('نوروز')).length;
    expect([4, 8]).toContain(nowruz);
    expect(
      persianOnly(await page.getByTestId('sla-holidays').locator('..').textContent()),
    ).toContain('تعطیلات رسمی ایران');
    await page.screenshot({ path: path.join(shots, 'form-fa-desktop.png'), fullPage: true });

    // The first holiday does not close these offices: removed before saving.
    const count = await holidays.count();
    const removed = persianOnly(await holidays.first().textContent());
    await holidays.first().locator('button').click();
    await expect.poll(() => holidays.count()).toBe(count - 1);
    await page.getByLabel('نام').first().fill('ساعات اداری تهران');
    await page.getByRole('button', { name: 'افزودن تقویم' }).click();
    await page.getByTestId('calendar-table').getByText('ساعات اداری تهران').waitFor();
    const { items } = await t.api.get<{
      items: {
        name: string;
        tenantId: string | null;
        spec: { zone: string; week: Record<string, string[]>; holidays: { name?: string }[] };
      }[];
    }>('/api/v1/sla/calendars');
    const saved = items.find((c) => c.name === 'ساعات اداری تهران')!;
    expect(saved.tenantId).toBe(tenantId);
    expect(saved.spec.zone).toBe('Asia/Tehran');
    expect(Object.keys(saved.spec.week).sort()).toEqual(['mon', 'sat', 'sun', 'tue', 'wed']);
    expect(saved.spec.holidays).toHaveLength(count - 1);
    // The removed one was the first: the saved list starts with the one after it.
    expect(removed).not.toBe('');
    expect(persianOnly(await holidays.first().textContent())).toContain(
      saved.spec.holidays[0]!.name!,
    );

    // The reader turns to English: the holidays kept read in English, none comes back.
    await chooseLanguage(page, 'en');
    await expect
      .poll(
        async () => (await holidays.allTextContents()).filter((n) => n.endsWith('Nowruz')).length,
      )
      .toBeGreaterThanOrEqual(4);
    expect(await holidays.count()).toBe(count - 1);
    // French: the dataset has no French names for Iran's holidays, so the country's own.
    await chooseLanguage(page, 'fr');
    await expect
      .poll(async () => persianOnly((await holidays.allTextContents()).join(' ')))
      .toContain('نوروز');
    await page.screenshot({ path: path.join(shots, 'form-fr-desktop.png'), fullPage: true });

    // Another zone: that country's week, hours and holidays.
    await chooseLanguage(page, 'en');
    await zone.fill('Europe/Paris');
    await zone.blur();
    await expect.poll(() => page.getByTestId('calendar-hours').inputValue()).toBe('09:00-17:00');
    expect(await page.getByRole('checkbox', { name: 'Sat', exact: true }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: 'Fri', exact: true }).isChecked()).toBe(true);
    await expect
      .poll(() => page.getByTestId('sla-holidays').locator('..').textContent())
      .toContain('The public holidays of France');
    await page.close();
  });

  it('reads well at both sizes in three languages', async () => {
    const problems: string[] = [];
    for (const size of SIZES) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: size.width, height: size.height });
      await signIn(page, `${t.api.baseUrl}/admin/sla`, 'parvin', PASSWORD);
      for (const language of ['en', 'fa', 'fr'] as const) {
        await chooseLanguage(page, language);
        await page.reload();
        await expect.poll(() => page.getByTestId('sla-holiday').count()).toBeGreaterThan(10);
        const shot = `${size.name}-${language}.png`;
        await page.screenshot({ path: path.join(shots, shot), fullPage: true });
        const reading = await readPage(page);
        if (reading.overflowPx > 1) problems.push(`${shot}: ${reading.overflowPx} px too wide`);
        problems.push(...reading.outside.map((o) => `${shot}: ${o}`));
        // Holiday names are the dataset's, in the country's language where it has no other.
        const data = ['ساعات اداری تهران', 'Asia/Tehran', '08:00-16:00', 'parvin', 'Pars Retail'];
        const names = await page.getByTestId('sla-holiday').allTextContents();
        problems.push(
          ...wordProblems(reading.texts, language, [...data, ...names], new Set(['SLA'])).map(
            (p) => `${shot}: ${p}`,
          ),
        );
      }
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});
