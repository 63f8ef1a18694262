import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { acmeReaderAndEditor } from '../support/knowledge.js';
import { pngImage } from '../support/png.js';
import {
  chooseLanguage,
  noHorizontalOverflow,
  screenshotDir,
  signInAs as signInAsPerson,
} from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

const WAIT = { timeout: 30_000 };
const PASSWORD = 'kb-files-password-1';
const shots = path.join(screenshotDir, 'knowledge-files');

const ROUTER = pngImage(320, 160);
const CABLES = pngImage(200, 120, [
  [40, 160, 90],
  [230, 230, 230],
  [200, 60, 60],
]);
const CHECKLIST = Buffer.from('1. Cable\n2. Power\n3. Lights\n');
const TITLE = 'Where the router is';
const FIRST = 'The router is in the back office, on the top shelf.';
const SECOND = 'Its lights should be green.';

/** The size as the files list says it: in words, in the reader's language. */
const inWords = (bytes: number, locale: string) =>
  bytes < 1024
    ? new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(
        bytes,
      )
    : new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: 'kilobyte',
        unitDisplay: 'long',
        maximumFractionDigits: 1,
      }).format(bytes / 1024);

/** How wide the image named `alt` in `scope` is as loaded (0: it did not load). */
const naturalWidth = (page: Page, scope: string, alt: string) =>
  page.evaluate<number>(
    `(() => { const img = document.querySelector('[data-testid=${scope}] img[alt="${alt}"]');
      return img && img.complete ? img.naturalWidth : 0; })()`,
  );

/** Puts `files` on the text's clipboard as a paste, or drops them on it, as Chromium would. */
const give = (
  page: Page,
  how: 'paste' | 'drop',
  files: { name: string; type: string; bytes: Buffer }[],
) =>
  page.evaluate(`(() => {
    const area = document.querySelector('[data-testid=kb-editor-body] textarea');
    const data = new DataTransfer();
    for (const f of ${JSON.stringify(files.map((f) => ({ ...f, bytes: [...f.bytes] })))})
      data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    const event = ${how === 'paste'}
      ? new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
      : new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
    area.dispatchEvent(event);
  })()`);

const signInAs = (page: Page, url: string, username: string) =>
  signInAsPerson(page, url, username, PASSWORD);

/**
 * An editor adds images and a file to an article (the button, a paste, a drop): each goes into
 * the text where the cursor was, shows in the preview and in the list of the article's files
 * with its size in words; one is removed. The article is published, and a requester opens it
 * from the portal's home on a phone and sees the image. Then the editor and the article at
 * 390×844 and 1440×900 in English, Persian and French.
 */
describe('images and files in knowledge articles, in Chromium', () => {
  let t: TestHub;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let articleId = '';

  beforeAll(async () => {
    await fs.mkdir(shots, { recursive: true });
    t = await startTestHub();
    await acmeReaderAndEditor(t.api, PASSWORD);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an editor adds an image to an article and publishes it; a requester sees the image in the portal', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInAs(page, `${t.api.baseUrl}/knowledge/new`, 'reza');
    await chooseLanguage(page, 'en');
    await page.getByText('Save the article first, then add images and files.').waitFor(WAIT);
    await page.getByTestId('kb-editor-title').fill(TITLE);
    const body = page.getByTestId('kb-editor-body').locator('textarea');
    await body.fill(`${FIRST}\n\n${SECOND}`);
    await page.getByTestId('kb-editor-save').click();
    await expect.poll(() => page.url(), WAIT).toMatch(/\/knowledge\/[0-9a-f-]{36}\/edit$/);
    articleId = /knowledge\/([0-9a-f-]{36})\/edit/.exec(page.url())![1]!;
    await page.getByText('No images or files yet.').waitFor(WAIT);

    // The cursor after the first sentence, then the button: the image goes in there.
    await body.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add image or file' }).click();
    await (await chooser).setFiles({ name: 'router.png', mimeType: 'image/png', buffer: ROUTER });
    await page.getByText('router.png added to the text.').waitFor(WAIT);
    const [router] = (
      await t.api.get<{ items: { id: string }[] }>(`/api/v1/knowledge/articles/${articleId}/files`)
    ).items;
    const routerUrl = `/api/v1/knowledge/articles/${articleId}/files/${router!.id}`;
    expect(await body.inputValue()).toBe(`${FIRST}\n\n![router](${routerUrl})\n\n${SECOND}`);
    const listed = page.getByTestId('kb-file');
    await listed
      .filter({ hasText: 'router.png' })
      .getByText(inWords(ROUTER.length, 'en'))
      .waitFor(WAIT);

    // A pasted image and a dropped file go in at the end of the text, where the cursor is.
    await body.click();
    await page.keyboard.press('Control+End');
    await give(page, 'paste', [{ name: 'cables.png', type: 'image/png', bytes: CABLES }]);
    await page.getByText('cables.png added to the text.').waitFor(WAIT);
    await give(page, 'drop', [{ name: 'checklist.txt', type: 'text/plain', bytes: CHECKLIST }]);
    await page.getByText('checklist.txt added to the text.').waitFor(WAIT);
    await expect.poll(() => listed.count(), WAIT).toBe(3);
    expect(await body.inputValue()).toMatch(
      /\n\n!\[cables\]\(\/api\/v1\/knowledge\/articles\/[^)]+\)\n\n\[checklist\.txt\]\(\/api\/v1\/knowledge\/articles\/[^)]+\)$/,
    );
    await listed
      .filter({ hasText: 'checklist.txt' })
      .getByText(inWords(CHECKLIST.length, 'en'))
      .waitFor(WAIT);

    // Removed: out of the list and out of the text.
    await listed
      .filter({ hasText: 'checklist.txt' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByText('checklist.txt removed.').waitFor(WAIT);
    await expect.poll(() => listed.count(), WAIT).toBe(2);
    expect(await body.inputValue()).not.toContain('checklist');

    // The preview is the hub's render: the images load.
    await page.getByTestId('kb-editor-mode').getByText('Preview').click();
    await expect.poll(() => naturalWidth(page, 'kb-editor-preview', 'router'), WAIT).toBe(320);
    await expect.poll(() => naturalWidth(page, 'kb-editor-preview', 'cables'), WAIT).toBe(200);
    await page.getByTestId('kb-editor-mode').getByText('Write').click();
    await page.getByTestId('kb-editor-audience').getByText('Everyone').click();
    await page.getByTestId('kb-editor-save').click();
    await page.getByText('Saved as version 2.').waitFor(WAIT);

    // Saved in the text, the hub keeps it: it says why it will not remove it.
    await listed.filter({ hasText: 'cables.png' }).getByRole('button', { name: 'Remove' }).click();
    await page
      .getByText(
        'cables.png is still in the text. Take it out of the text and save, then remove it.',
      )
      .waitFor(WAIT);
    expect(await listed.count()).toBe(2);

    await page.getByRole('button', { name: 'Send to review' }).click();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Its readers find it in search and suggestions.').waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'editor-journey-1440-en.png'), fullPage: true });

    // A requester on a phone, in Persian: the portal's home offers it, and the image shows.
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, `${t.api.baseUrl}/portal`, 'maryam');
    await chooseLanguage(page, 'fa');
    await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
    await page.getByTestId('kb-widget').getByText(TITLE).click();
    await page.getByTestId('kb-article-title').getByText(TITLE).waitFor(WAIT);
    await page.getByTestId('kb-article-body').getByText(SECOND).waitFor(WAIT);
    await expect.poll(() => naturalWidth(page, 'kb-article-body', 'router'), WAIT).toBe(320);
    await expect.poll(() => naturalWidth(page, 'kb-article-body', 'cables'), WAIT).toBe(200);
    await noHorizontalOverflow(page);
    await page.screenshot({
      path: path.join(shots, 'requester-article-390-fa.png'),
      fullPage: true,
    });
    await page.close();
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`shows the editor's files and the article's images at ${width} px in three languages`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      const data = [TITLE, FIRST, SECOND, 'router.png', 'cables.png', 'maryam', 'reza'];
      // The editor's text is the Markdown the editor wrote, with its images' addresses (ids and
      // all, as in any Markdown editor): read as the source it is, not as the UI's words.
      const { translations } = await t.api.get<{ translations: { markdown: string }[] }>(
        `/api/v1/knowledge/articles/${articleId}`,
      );
      const source = translations.map((x) => x.markdown);
      const notSource = (text: string) => !source.some((md) => md.includes(text.trim()));
      const problems: string[] = [];
      const walk = async (who: string, name: string, url: string, shown: () => Promise<void>) => {
        await signInAs(page, `${t.api.baseUrl}${url}`, who);
        for (const language of ['en', 'fa', 'fr'] as const) {
          await chooseLanguage(page, language);
          await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
          await page.goto(`${t.api.baseUrl}${url}`);
          await shown();
          const shot = `${name}-${width}-${language}.png`;
          await page.screenshot({ path: path.join(shots, shot), fullPage: true });
          const reading = await readPage(page);
          if (reading.overflowPx > 1) problems.push(`${shot}: ${reading.overflowPx} px too wide`);
          for (const p of reading.outside) problems.push(`${shot}: ${p}`);
          const texts = reading.texts.filter(notSource);
          for (const p of wordProblems(texts, language, data, new Set(['Branchwatch'])))
            problems.push(`${shot}: ${p}`);
        }
      };
      await walk('reza', 'editor', `/knowledge/${articleId}/edit`, async () => {
        await page.getByTestId('kb-file').getByText('cables.png').waitFor(WAIT);
      });
      await walk('maryam', 'article', `/knowledge/${articleId}`, async () => {
        await expect.poll(() => naturalWidth(page, 'kb-article-body', 'cables'), WAIT).toBe(200);
      });
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('an agent starts a draft article from a resolved ticket, the people left out', async () => {
    const { items: branches } = await t.api.get<{ items: { id: string; slug: string }[] }>(
      '/api/v1/branches',
    );
    const branchId = branches.find((b) => b.slug === 'acme-hq')!.id;
    const { ticket } = await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'Sara Karimi: the card reader is dead',
      body: 'Sara Karimi at 221 Baker Street. Call me on +98 21 8888 7777 or sara.k@acme.example.',
      branchId,
      requesterName: 'Sara Karimi',
      requesterContact: 'sara.k@acme.example',
    });
    await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Hi Sara, unplug the reader for ten seconds and plug it back in.',
    });
    await t.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'resolved' });

    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInAs(page, `${t.api.baseUrl}/tickets/${ticket.id}`, 'reza');
    await chooseLanguage(page, 'en');
    await page.getByRole('button', { name: 'Start an article from this ticket' }).click();
    await expect.poll(() => page.url(), WAIT).toMatch(/\/knowledge\/[0-9a-f-]{36}\/edit$/);
    await page.getByTestId('kb-state').getByText('Draft').waitFor(WAIT);
    expect(await page.getByTestId('kb-editor-title').inputValue()).toBe(
      '[name]: the card reader is dead',
    );
    const text = await page.getByTestId('kb-editor-body').locator('textarea').inputValue();
    expect(text).toBe(
      '## Problem\n\n[name] at [address]. Call me on [phone] or [e-mail].\n\n' +
        '## Solution\n\nHi [name], unplug the reader for ten seconds and plug it back in.\n',
    );
    for (const person of ['Sara', 'Karimi', 'Baker', '8888', 'sara.k@', 'admin'])
      expect(text).not.toContain(person);
    await page.screenshot({
      path: path.join(shots, 'draft-from-ticket-1440-en.png'),
      fullPage: true,
    });

    // The ticket's page with the button, at both sizes in three languages.
    const problems: string[] = [];
    for (const [width, height] of [
      [390, 844],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const language of ['en', 'fa', 'fr'] as const) {
        await page.goto(`${t.api.baseUrl}/tickets/${ticket.id}`);
        await page.getByTestId('ticket-page').waitFor(WAIT);
        await chooseLanguage(page, language);
        await page.locator('[role=menu]').waitFor({ state: 'hidden', ...WAIT });
        await page.getByTestId('kb-draft-from-ticket').getByRole('button').waitFor(WAIT);
        const shot = `ticket-draft-${width}-${language}.png`;
        await page.screenshot({ path: path.join(shots, shot), fullPage: true });
        const reading = await readPage(page);
        if (reading.overflowPx > 1) problems.push(`${shot}: ${reading.overflowPx} px too wide`);
        for (const p of reading.outside) problems.push(`${shot}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
