import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { acmeReaderAndEditor } from '../support/knowledge.js';
import type { Page } from 'playwright-core';
import { chooseLanguage, screenshotDir, signInAs as signInAsPerson } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

const WAIT = { timeout: 30_000 };
const PASSWORD = 'kb-walk-password-1';
const shots = path.join(screenshotDir, 'knowledge');

// What people typed: shown as it is, not the UI's words.
const VPN = {
  fa: {
    title: 'وصل نشدن وی‌پی‌ان شعبه',
    body: 'اگر وی‌پی‌ان شعبه وصل نمی‌شود:\n\n1. کابل شبکه را بررسی کنید.\n2. مودم را خاموش و روشن کنید.\n\nاگر باز وصل نشد، تیکت ثبت کنید.',
  },
  en: {
    title: 'The branch VPN does not connect',
    body: 'When the branch VPN does not connect:\n\n1. Check the network cable.\n2. Restart the modem.\n\nStill down? File a ticket.',
  },
};
const SWITCH = { title: 'Core switch password rotation', body: 'Rotate it every quarter.' };
// What the agent writes in the editor (Markdown), and a line they add later.
const MODEM = {
  title: 'چراغ مودم قرمز است',
  body: '## چه باید کرد\n\nمودم را از برق بکشید و پس از ۳۰ ثانیه دوباره وصل کنید.',
  more: 'اگر چراغ باز قرمز ماند، با شرکت مخابرات تماس بگیرید.',
};
const DATA = [
  MODEM.title,
  'چه باید کرد',
  MODEM.more,
  ...MODEM.body.split('\n'),
  VPN.fa.title,
  VPN.en.title,
  'Network',
  'Sara Ahmadi',
  ...VPN.fa.body.split('\n'),
  ...VPN.en.body.split('\n'),
  'maryam',
  'reza',
];

const signInAs = (page: Page, url: string, username: string) =>
  signInAsPerson(page, url, username, PASSWORD);

/**
 * The knowledge base as a person in a branch reads it: the public articles of their tenant (not
 * the staff's), a search in Persian typed with Arabic letters that still finds the Persian
 * article with the words marked, the article with its date in the reader's calendar, and "did
 * this help?" counted on the hub. Then every knowledge page at 390×844 and 1440×900 in English,
 * Persian and French.
 */
describe('knowledge base in Chromium', () => {
  let t: TestHub;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let vpnId: string;
  let switchId: string;
  let acmeId: string;

  beforeAll(async () => {
    await fs.mkdir(shots, { recursive: true });
    t = await startTestHub();
    acmeId = await acmeReaderAndEditor(t.api, PASSWORD);
    const article = (body: Record<string, unknown>) =>
      t.api.post<{ id: string }>('/api/v1/knowledge/articles', { tenantId: acmeId, ...body });
    vpnId = (
      await article({
        category: 'Network',
        audience: 'public',
        state: 'published',
        translations: [
          { language: 'fa', ...VPN.fa },
          { language: 'en', ...VPN.en },
        ],
      })
    ).id;
    switchId = (
      await article({
        category: 'Network',
        audience: 'internal',
        state: 'published',
        translations: [{ language: 'en', ...SWITCH }],
      })
    ).id;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('a requester searches in Persian, reads the article and says it solved the problem', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, `${t.api.baseUrl}/knowledge`, 'maryam');
    await chooseLanguage(page, 'fa');
    await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
    await page.getByText(VPN.fa.title).waitFor(WAIT);
    // The staff's article is not for branch staff.
    expect(await page.getByText(SWITCH.title).count()).toBe(0);

    // "شبكه" with an Arabic kaf, as many keyboards type it, finds "شبکه".
    await page.getByTestId('kb-search').fill('شبكه');
    await page.getByTestId('kb-hit').first().waitFor(WAIT);
    expect(await page.getByTestId('kb-count').innerText()).toBe('۱ مقاله پیدا شد');
    expect(await page.getByTestId('kb-hit').innerText()).toContain(VPN.fa.title);
    expect(await page.getByTestId('kb-mark').allInnerTexts()).toContain('شبکه');
    expect(page.url()).toContain('q=');

    await page.getByTestId('kb-hit').getByRole('link').click();
    await page.getByTestId('kb-article-title').waitFor(WAIT);
    expect(await page.getByTestId('kb-article-title').innerText()).toBe(VPN.fa.title);
    expect(await page.getByTestId('kb-article-body').innerText()).toContain(
      'کابل شبکه را بررسی کنید.',
    );
    // In words and in the Jalali calendar, in Persian digits.
    const updated = await page.getByTestId('kb-updated').innerText();
    expect(updated).toMatch(/^آخرین به‌روزرسانی .+، .*۱۴۰[۵-۹]/);
    expect(await page.getByTestId('kb-article-page').getAttribute('dir')).toBeNull();
    // The article reads right to left (the test package has no DOM types: the call as text).
    const direction = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('[data-testid=kb-article-title]')).direction`,
    );
    expect(direction).toBe('rtl');

    await page.getByTestId('kb-helpful-yes').click();
    await page.getByTestId('kb-feedback-answer').waitFor(WAIT);
    expect(await page.getByTestId('kb-feedback-answer').innerText()).toBe(
      'سپاس. خوشحالیم که کمک کرد.',
    );
    const report = await t.api.get<{ deflections: { articleId: string; count: number }[] }>(
      '/api/v1/knowledge/report',
    );
    expect(report.deflections).toEqual([expect.objectContaining({ articleId: vpnId, count: 1 })]);

    // The staff's article, opened by its address, does not exist for them.
    await page.goto(`${t.api.baseUrl}/knowledge/${switchId}`);
    await page.getByTestId('kb-not-found').waitFor(WAIT);
    await page.close();
  });

  it('an agent writes an article in Persian, has it reviewed, publishes it, restores a version; a requester finds it', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInAs(page, `${t.api.baseUrl}/knowledge`, 'reza');
    await chooseLanguage(page, 'fa');
    await page.getByTestId('kb-new').click();
    await page.getByTestId('kb-editor-title').fill(MODEM.title);
    const body = page.getByTestId('kb-editor-body').locator('textarea');
    expect(await body.getAttribute('dir')).toBe('rtl');
    await body.fill(MODEM.body);
    await page.getByTestId('kb-editor-save').click();
    await expect.poll(() => page.url(), WAIT).toMatch(/\/knowledge\/[0-9a-f-]{36}\/edit$/);
    await page.getByTestId('kb-state').getByText('پیش‌نویس').waitFor(WAIT);

    // The hub's render, as readers will see it: the heading is a heading.
    await page.getByTestId('kb-editor-mode').getByText('پیش‌نمایش').click();
    await page
      .getByTestId('kb-editor-preview')
      .locator('h2')
      .getByText('چه باید کرد')
      .waitFor(WAIT);
    await page.getByTestId('kb-editor-mode').getByText('نوشتن').click();

    await page.getByText('فرستادن برای بازبینی').click();
    await page.getByTestId('kb-state').getByText('فقط کارکنان (بازبینی‌شده)').waitFor(WAIT);
    await page.getByRole('button', { name: 'انتشار' }).click();
    await page.getByText('خوانندگانش آن را در جست‌وجو و پیشنهادها می‌یابند.').waitFor(WAIT);
    expect(await page.getByTestId('kb-state').count()).toBe(0);

    // A second version, then the first restored as the third.
    await body.fill(`${MODEM.body}\n\n${MODEM.more}`);
    await page.getByTestId('kb-editor-save').click();
    await page.getByTestId('kb-editor-notice').getByText('به‌عنوان نسخهٔ ۲ ذخیره شد.').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('kb-version').count(), WAIT).toBe(2);
    const added = page.getByTestId('kb-version').first().locator('[data-kind=added]');
    expect(await added.innerText()).toContain(MODEM.more);
    // A Persian change reads right to left, its sign at the line's start on the right.
    expect(
      await added.evaluate(
        (line) => line.ownerDocument.defaultView!.getComputedStyle(line).direction,
      ),
    ).toBe('rtl');
    await page.getByTestId('kb-version-restore').click();
    await page.getByText('نسخهٔ ۱ به‌عنوان نسخهٔ ۳ بازگردانده شد.').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('kb-version').count(), WAIT).toBe(3);
    await page.screenshot({ path: path.join(shots, 'editor-journey-1440-fa.png'), fullPage: true });

    // A requester on a phone searches in Persian and reads it.
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, `${t.api.baseUrl}/knowledge`, 'maryam');
    await chooseLanguage(page, 'fa');
    await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
    await page.getByTestId('kb-search').fill('مودم قرمز');
    await page.getByTestId('kb-hit').getByText(MODEM.title).click();
    await page.getByTestId('kb-article-body').locator('h2').getByText('چه باید کرد').waitFor(WAIT);
    // The restored text: the line of version 2 is gone.
    expect(await page.getByTestId('kb-article-body').innerText()).not.toContain(MODEM.more);
    await page.close();
  });

  it('a requester typing a ticket subject sees the article, opens it and it solves the problem', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, `${t.api.baseUrl}/portal/tickets/new`, 'maryam');
    await chooseLanguage(page, 'fa');
    await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
    const before = await t.api.get<{ deflections: { count: number }[] }>(
      '/api/v1/knowledge/report',
    );
    await page.getByTestId('portal-subject').fill('وي پي ان وصل نمي');
    const suggestion = page.getByTestId('kb-suggestion').filter({ hasText: VPN.fa.title });
    await suggestion.waitFor(WAIT);
    await suggestion.getByRole('button').first().click();
    await suggestion
      .getByTestId('kb-suggestion-body')
      .getByText('کابل شبکه را بررسی کنید.')
      .waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'suggestion-390-fa.png'), fullPage: true });
    await suggestion.getByTestId('kb-suggestion-solved').click();
    await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe('/portal');
    const after = await t.api.get<{ deflections: { count: number }[] }>('/api/v1/knowledge/report');
    const total = (r: typeof after) => r.deflections.reduce((n, d) => n + d.count, 0);
    expect(total(after)).toBe(total(before) + 1);
    await page.close();
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`fits ${width} px in three languages`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await signInAs(page, `${t.api.baseUrl}/knowledge`, 'maryam');
      const pages: [string, string, string][] = [
        ['list', '/knowledge', 'kb-article'],
        ['search', '/knowledge?q=VPN', 'kb-hit'],
        ['nothing', '/knowledge?q=zzzqqq', 'kb-no-results'],
        ['article', `/knowledge/${vpnId}`, 'kb-feedback'],
      ];
      const problems: string[] = [];
      // The marked passages of a search are the article's text, cut where the words matched.
      const data = [...DATA];
      for (const language of ['en', 'fa', 'fr'] as const) {
        type Pieces = { text: string }[];
        const { items } = await t.api.get<{ items: { titleMarks: Pieces; excerpt: Pieces }[] }>(
          `/api/v1/knowledge/search?q=VPN&language=${language}`,
        );
        const pieces = items.flatMap((h) => [...h.titleMarks, ...h.excerpt]);
        data.push(...pieces.map((s) => s.text.trim()));
      }
      for (const language of ['en', 'fa', 'fr'] as const) {
        await chooseLanguage(page, language);
        await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
        for (const [name, url, ready] of pages) {
          await page.goto(`${t.api.baseUrl}${url}`);
          await page.getByTestId(ready).first().waitFor(WAIT);
          await page.waitForTimeout(200);
          const shot = `${name}-${width}-${language}.png`;
          await page.screenshot({ path: path.join(shots, shot), fullPage: true });
          const reading = await readPage(page);
          if (reading.overflowPx > 1) problems.push(`${shot}: ${reading.overflowPx} px too wide`);
          for (const p of reading.outside) problems.push(`${shot}: ${p}`);
          const technical = new Set(['VPN', 'Branchwatch', 'zzzqqq']);
          for (const p of wordProblems(reading.texts, language, data, technical))
            problems.push(`${shot}: ${p}`);
        }
      }
      // The editor's pages, as an agent who writes.
      await signInAs(page, `${t.api.baseUrl}/knowledge`, 'reza');
      const editorPages: [string, string, string][] = [
        ['editor', `/knowledge/${vpnId}/edit`, 'kb-editor'],
        ['new', '/knowledge/new', 'kb-editor'],
        ['report', '/knowledge/report', 'kb-report'],
      ];
      for (const language of ['en', 'fa', 'fr'] as const) {
        await chooseLanguage(page, language);
        await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
        for (const [name, url, ready] of editorPages) {
          await page.goto(`${t.api.baseUrl}${url}`);
          await page.getByTestId(ready).first().waitFor(WAIT);
          await page.waitForTimeout(200);
          const shot = `${name}-${width}-${language}.png`;
          await page.screenshot({ path: path.join(shots, shot), fullPage: true });
          const reading = await readPage(page);
          if (reading.overflowPx > 1) problems.push(`${shot}: ${reading.overflowPx} px too wide`);
          for (const p of reading.outside) problems.push(`${shot}: ${p}`);
          const technical = new Set(['VPN', 'Branchwatch', 'zzzqqq', 'Network']);
          for (const p of wordProblems(reading.texts, language, data, technical))
            problems.push(`${shot}: ${p}`);
        }
      }
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('lists the articles without a category under their own chip, apart from "All"', async () => {
    const printer = 'The printer on the second floor jams';
    await t.api.post('/api/v1/knowledge/articles', {
      tenantId: acmeId,
      audience: 'public',
      state: 'published',
      translations: [{ language: 'en', title: printer, body: 'Open the back tray.' }],
    });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInAs(page, `${t.api.baseUrl}/knowledge`, 'maryam');
    await chooseLanguage(page, 'en');
    const titles = async () => (await page.getByTestId('kb-article').allInnerTexts()).join('|');
    const vpn = VPN.en.title;
    const chip = (name: string) => page.getByRole('group').getByText(name, { exact: true });
    await expect.poll(titles, WAIT).toContain(printer);
    await chip('General').click();
    await expect.poll(titles, WAIT).not.toContain(vpn);
    expect(await titles()).toContain(printer);
    // The address says it in words (a shared link opens the same list).
    expect(new URL(page.url()).searchParams.get('uncategorised')).toBe('true');
    // Only the chosen chip reads as chosen ("All" and "General" were both chosen before).
    expect(await page.getByRole('radio', { name: 'General' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'All' }).isChecked()).toBe(false);
    await chip('Network').click();
    await expect.poll(titles, WAIT).not.toContain(printer);
    expect(await titles()).toContain(vpn);
    expect(new URL(page.url()).searchParams.get('category')).toBe('Network');
    expect(new URL(page.url()).searchParams.has('uncategorised')).toBe(false);
    await chip('All').click();
    await expect.poll(titles, WAIT).toContain(vpn);
    expect(await titles()).toContain(printer);
    await page.close();
  });
});
