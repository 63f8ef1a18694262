import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { chooseLanguage, screenshotDir as shots, signIn } from '../support/web-page.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { readPage, wordProblems } from './page-reading.js';

const WAIT = { timeout: 30_000 };

/**
 * The helpdesk lead reads the month's figures, narrows them to one branch, and takes the report
 * away as CSV and Excel; the page fits a phone and a desktop in English, Persian and French.
 */
describe('reports in Chromium', () => {
  let t: TestHub;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let shiraz: string;

  beforeAll(async () => {
    await fs.mkdir(shots, { recursive: true });
    t = await startTestHub();
    const branch = async (slug: string, name: string) =>
      (await t.api.post<{ branch: { id: string } }>('/api/v1/branches', { slug, name })).branch.id;
    const tabriz = await branch('tabriz-1', 'Tabriz bazaar');
    shiraz = await branch('shiraz-2', 'شیراز ۲');
    for (const [subject, branchId, priority] of [
      ['Printer offline', tabriz, 'normal'],
      ['Phones dead', tabriz, 'urgent'],
      ['قطعی اینترنت', shiraz, 'high'],
    ] as const) {
      await t.api.post('/api/v1/tickets', { subject, body: 'x', branchId, priority });
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const kpi = (page: Page, name: string) => page.getByTestId(name).locator('p').nth(1);

  it('filters by branch and exports CSV and Excel', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/reports`);
    await chooseLanguage(page, 'en');
    await expect.poll(() => kpi(page, 'kpi-tickets').innerText(), WAIT).toBe('3');
    expect(await page.getByTestId('reports-byStatus-row').first().innerText()).toMatch(/open\s+3/);

    await page.getByTestId('reports-branch').selectOption(shiraz);
    await expect.poll(() => kpi(page, 'kpi-tickets').innerText(), WAIT).toBe('1');
    expect(page.url()).toContain(`branch=${shiraz}`);
    expect(await page.getByTestId('reports-byPriority-row').innerText()).toMatch(/high\s+1/);

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('reports-export-csv').click(),
    ]);
    const bytes = await fs.readFile(await csv.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('Branch,شیراز ۲');
    expect(text).toContain('Tickets by priority\r\nName,Tickets\r\nhigh,1\r\n');

    await chooseLanguage(page, 'fa');
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('reports-export-xlsx').click(),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await fs.readFile(await xlsx.path())) as never);
    const sheet = book.getWorksheet('تیکت‌ها بر اساس اولویت')!;
    expect(sheet.views[0]?.rightToLeft).toBe(true);
    expect(sheet.getRow(2).values).toEqual([undefined, 'زیاد', 1]);
    await page.close();
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`fits ${width} px in three languages`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await signIn(page, `${t.api.baseUrl}/reports?range=90d`);
      for (const language of ['en', 'fa', 'fr'] as const) {
        await chooseLanguage(page, language);
        // The phone's menu closes with a fade: wait until it is gone before the screenshot.
        await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
        await page.getByTestId('kpi-tickets').waitFor(WAIT);
        await expect.poll(() => kpi(page, 'kpi-tickets').innerText(), WAIT).toMatch(/^[3۳]$/);
        const reading = await readPage(page);
        expect(reading.overflowPx).toBeLessThanOrEqual(1);
        expect(reading.outside).toEqual([]);
        // The table of who opened the tickets fits its card, on a phone too: no sideways scroll.
        expect(
          await page.getByTestId('reports-times').evaluate((el) => {
            const card = el.closest('.mantine-Card-root')!;
            return el.getBoundingClientRect().width - card.clientWidth;
          }),
        ).toBeLessThanOrEqual(0);
        const names = ['Tabriz bazaar', 'شیراز ۲', 'WAN', 'SLA', 'CSV', 'Excel', 'admin'];
        expect(wordProblems(reading.texts, language, names, new Set())).toEqual([]);
        await page.screenshot({
          path: path.join(shots, `reports-${width}-${language}.png`),
          fullPage: true,
        });
      }
      await page.close();
    });
  }
});
