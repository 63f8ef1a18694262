import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { ApiClient } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { chooseLanguage, screenshotDir as shots, signIn } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

const WAIT = { timeout: 30_000 };
const PASSWORD = 'pdf-password-123';
const TECHNICAL = new Set(['PDF', 'CSV', 'Excel']);

const pdfText = (bytes: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes, encoding: 'utf8' }).replace(
    /[\u200c\u200e\u200f\u202a-\u202e]/g,
    '',
  );

/**
 * The agent takes a ticket away as PDF from its page and the queue as Excel; the requester takes
 * their own ticket as PDF from the portal on a phone, without the agent's internal note. The
 * pages with the new buttons fit 390 and 1440 px in English, Persian and French.
 */
describe('tickets as PDF in Chromium', () => {
  let t: TestHub;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let ticketId: string;
  let branchId: string;

  beforeAll(async () => {
    await fs.mkdir(shots, { recursive: true });
    t = await startTestHub();
    const tenantId = (await t.api.get<{ items: { id: string }[] }>('/api/v1/tenants')).items[0]!.id;
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'shiraz-2',
      name: 'شیراز ۲',
    });
    await t.api.post('/api/v1/users', {
      username: 'clerk',
      password: PASSWORD,
      role: 'requester',
      tenantId,
      branchIds: [branch.id],
    });
    branchId = branch.id;
    const { ticket } = await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'اینترنت شعبه قطع است',
      body: 'از ساعت ۹ هیچ سایتی باز نمی‌شود.',
      branchId: branch.id,
      requesterName: 'clerk',
    });
    ticketId = ticket.id;
    await t.api.post(`/api/v1/tickets/${ticketId}/replies`, {
      body: 'NOTE-FOR-STAFF: provider ticket 4471',
      visibility: 'internal',
    });
    await t.api.post(`/api/v1/tickets/${ticketId}/replies`, {
      body: 'مودم را خاموش و روشن کنید.',
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const download = async (page: Page, testId: string) => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(testId).click(),
    ]);
    return fs.readFile(await file.path());
  };

  it("gives the agent the ticket's PDF and the queue as Excel", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/tickets/${ticketId}`);
    await chooseLanguage(page, 'fa');
    await page.getByRole('link', { name: 'دریافت PDF' }).waitFor(WAIT);
    const text = pdfText(await download(page, 'ticket-pdf'));
    expect(text).toContain('اینترنت شعبه قطع است');
    expect(text).toContain('NOTE-FOR-STAFF');
    expect(text).toContain('یادداشت داخلی');

    await page.goto(`${t.api.baseUrl}/tickets`);
    await page.getByRole('link', { name: 'Excel' }).waitFor(WAIT);
    const xlsx = await download(page, 'export-xlsx');
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    const queue = pdfText(await download(page, 'export-pdf'));
    expect(queue).toContain('اینترنت شعبه قطع است');
    await page.close();
  });

  it('gives the requester their ticket as PDF on a phone, without the internal note', async () => {
    const clerk = new ApiClient(t.api.baseUrl);
    await clerk.login('clerk', PASSWORD);
    const { ticket } = await clerk.post<{ ticket: { id: string } }>('/api/v1/portal/tickets', {
      subject: 'چاپگر کار نمی‌کند',
      body: 'کاغذ گیر می‌کند.',
      branchId,
    });
    await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'NOTE-FOR-STAFF: order a new drum',
      visibility: 'internal',
    });
    await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'درب پشتی را باز کنید.' });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    // One browser profile for every story: the requester starts signed out.
    await browser.context.clearCookies();
    await signIn(page, `${t.api.baseUrl}/portal/tickets/${ticket.id}`, 'clerk', PASSWORD);
    await page.getByTestId('portal-ticket-pdf').waitFor(WAIT);
    const text = pdfText(await download(page, 'portal-ticket-pdf'));
    expect(text).toContain('درب پشتی را باز کنید');
    expect(text).not.toContain('NOTE-FOR-STAFF');
    const reading = await readPage(page);
    expect(reading.overflowPx).toBeLessThanOrEqual(1);
    expect(reading.outside).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'pdf-portal-ticket-390.png'), fullPage: true });
    await browser.context.clearCookies();
    await page.close();
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`fits the ticket page and the queue at ${width} px in three languages`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await signIn(page, `${t.api.baseUrl}/tickets/${ticketId}`);
      for (const language of ['en', 'fa', 'fr'] as const) {
        for (const [name, url, testId] of [
          ['ticket', `/tickets/${ticketId}`, 'ticket-pdf'],
          ['queue', '/tickets', 'export-pdf'],
        ] as const) {
          await page.goto(`${t.api.baseUrl}${url}`);
          await chooseLanguage(page, language);
          await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
          await page.getByTestId(testId).waitFor(WAIT);
          const reading = await readPage(page);
          expect(reading.overflowPx).toBeLessThanOrEqual(1);
          expect(reading.outside).toEqual([]);
          const names = [
            'اینترنت شعبه قطع است',
            'شیراز ۲',
            'admin',
            'clerk',
            'چاپگر',
            'NOTE-FOR-STAFF',
          ];
          expect(wordProblems(reading.texts, language, names, TECHNICAL)).toEqual([]);
          await page.screenshot({
            path: path.join(shots, `pdf-${name}-${width}-${language}.png`),
            fullPage: true,
          });
        }
      }
      await page.close();
    });
  }
});
