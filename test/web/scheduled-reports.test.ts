import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { ApiClient, waitFor } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startSmtpReceiver } from '../support/smtp.js';
import { chooseLanguage, screenshotDir as shots, signIn } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

const WAIT = { timeout: 30_000 };
const PASSWORD = 'lead-password-123';
// Names people read as they are, in every language: a file type, a key, the zone's name.
const TECHNICAL = new Set(['Excel', 'Enter', 'UTC']);

/**
 * The helpdesk lead schedules the weekly report in Persian as a PDF for the branch manager (a
 * person with a mail address) and the NOC's mail list, sends it now to try it, and sees it
 * delivered; the real SMTP server on loopback receives it and the PDF reads in Persian. Then the
 * page is walked on a phone and a desktop in English, Persian and French.
 */
describe('Reports → Scheduled in Chromium', () => {
  let t: TestHub;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    await fs.mkdir(shots, { recursive: true });
    smtp = await startSmtpReceiver();
    t = await startTestHub({
      BW_SMTP_URL: smtp.url,
      BW_SMTP_FROM: 'Branchwatch <noc@branchwatch.test>',
      BW_NOTIFY_POLL_MS: '100',
    });
    const tenantId = (await t.api.get<{ items: { id: string }[] }>('/api/v1/tenants')).items[0]!.id;
    await t.api.post('/api/v1/branches', { slug: 'mashhad-1', name: 'مشهد ۱' });
    for (const [username, role] of [
      ['lead', 'tenant_admin'],
      ['manager', 'viewer'],
    ] as const)
      await t.api.post('/api/v1/users', { username, password: PASSWORD, role, tenantId });
    // The manager gave a mail address in their notification settings: the form offers them.
    const manager = new ApiClient(t.api.baseUrl);
    await manager.login('manager', PASSWORD);
    const res = await manager.request('PUT', '/api/v1/notify/preferences', {
      email: 'manager@branchwatch.test',
    });
    expect(res.status).toBe(200);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await smtp?.close();
  });

  const card = (page: Page) => page.getByTestId('schedule-card').first();

  it('schedules a Persian PDF report, sends it now, and the mail arrives', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/reports`, 'lead', PASSWORD);
    await chooseLanguage(page, 'en');
    await page.getByRole('tab', { name: 'Scheduled' }).click();
    await page.getByText('No report is scheduled yet.').waitFor(WAIT);

    await page.getByRole('button', { name: 'Schedule a report' }).click();
    const form = page.getByTestId('schedule-form');
    await form.getByLabel('Name').fill('گزارش هفتگی');
    await form.getByRole('radio', { name: 'Weekly' }).check({ force: true });
    await form.getByLabel('On', { exact: true }).selectOption({ label: 'Saturday' });
    await form.getByLabel('At', { exact: true }).selectOption({ label: '07:00' });
    await form.getByLabel('Time zone').selectOption('Asia/Tehran');
    await form.getByLabel('Language of the report').selectOption({ label: 'فارسی' });
    // A typed address that is not one is refused at its field, in words.
    const typed = form.getByLabel('Other addresses');
    await typed.fill('noc list');
    await typed.press('Enter');
    await page.getByTestId('schedule-save').click();
    // Said at the field and above the buttons.
    await expect
      .poll(() => form.getByText('“noc list” is not a mail address.').count(), WAIT)
      .toBe(2);
    await typed.press('Backspace');
    await typed.fill('noc-list@branchwatch.test');
    await typed.press('Enter');
    await form.getByLabel('People').click();
    await page.getByRole('option', { name: 'manager · manager@branchwatch.test' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('schedule-save').click();
    await form.waitFor({ state: 'hidden', ...WAIT });

    await card(page).getByText('Every Saturday at 07:00 (Asia/Tehran)').waitFor(WAIT);
    await card(page).getByText('Each mail covers the week before it.').waitFor(WAIT);
    await card(page).getByText('Not sent yet').waitFor(WAIT);
    expect(await card(page).getByTestId('schedule-next').innerText()).toMatch(
      /^Next: Saturday, [A-Z][a-z]{2} \d+, 2\d{3}, 07:00 \(Asia\/Tehran\)$/,
    );

    await card(page).getByRole('button', { name: 'Send now' }).click();
    await card(page)
      .getByText(/^Sent to 2 recipients/)
      .waitFor(WAIT);
    await card(page).getByText('Delivered to 2 of 2.').waitFor(WAIT);

    const got = await waitFor('both mails', async () => {
      const found = smtp.mails.filter((m) => m.mail.subject?.startsWith('گزارش هفتگی'));
      return found.length === 2 ? found : undefined;
    });
    expect(got.flatMap((m) => m.to).sort()).toEqual([
      'manager@branchwatch.test',
      'noc-list@branchwatch.test',
    ]);
    const pdf = got[0]!.mail.attachments[0]!;
    expect(pdf.filename).toBe('گزارش هفتگی.pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: pdf.content,
      encoding: 'utf8',
    }).replace(/[\u200c\u200e\u200f\u202a-\u202e]/g, '');
    expect(text).toContain('گزارش پشتیبانی');

    // Paused: it says so and has no next time.
    await card(page).getByRole('button', { name: 'Pause' }).click();
    await card(page).getByText('Next: none while paused').waitFor(WAIT);
    await card(page).getByRole('button', { name: 'Resume' }).click();
    await card(page)
      .getByText(/^Next: Sat/)
      .waitFor(WAIT);
    await page.close();
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`fits ${width} px in three languages, the form too`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await signIn(page, `${t.api.baseUrl}/reports/scheduled`, 'lead', PASSWORD);
      const delivered: Record<string, RegExp> = {
        en: /Delivered to 2 of 2/,
        fa: /به ۲ از ۲ گیرنده رسید/,
        fr: /Remis à 2 destinataires sur 2/,
      };
      for (const language of ['en', 'fa', 'fr'] as const) {
        await chooseLanguage(page, language);
        await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
        await card(page).getByText(delivered[language]!).waitFor(WAIT);
        let reading = await readPage(page);
        expect(reading.overflowPx).toBeLessThanOrEqual(1);
        expect(reading.outside).toEqual([]);
        const names = ['گزارش هفتگی', 'Asia/Tehran', 'branchwatch.test', 'PDF', 'lead'];
        expect(wordProblems(reading.texts, language, names, TECHNICAL)).toEqual([]);
        await page.screenshot({
          path: path.join(shots, `schedules-${width}-${language}.png`),
          fullPage: true,
        });
        await card(page).getByTestId('schedule-edit').click();
        const form = page.getByTestId('schedule-form');
        await form.getByTestId('schedule-name-input').waitFor(WAIT);
        reading = await readPage(page);
        expect(reading.overflowPx).toBeLessThanOrEqual(1);
        expect(wordProblems(reading.texts, language, names, TECHNICAL)).toEqual([]);
        await page.screenshot({
          path: path.join(shots, `schedules-form-${width}-${language}.png`),
        });
        await page.keyboard.press('Escape');
        await form.waitFor({ state: 'hidden', ...WAIT });
      }
      await page.close();
    });
  }
});
