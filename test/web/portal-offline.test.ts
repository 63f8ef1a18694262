import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { ApiClient } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { pngImage } from '../support/png.js';
import { screenshotDir } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

/**
 * Branch staff on a train: the portal is installed (a manifest, a service worker), they lose
 * the connection, open their ticket anyway from what the browser kept, write a reply that
 * waits "to be sent", and see it in the conversation once, after the connection returns; the
 * hub stored it once. In real Chromium with its own offline emulation, against a real hub.
 */

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const PASSWORD = 'offline-staff-pass-1';
const SUBJECT = 'The card reader beeps';
const FIRST_ANSWER = 'Is the cable plugged in at the back?';
const LATE_ANSWER = 'We are sending a technician.';
const REPLY = 'Yes, the cable is in; it still beeps.';
const BODY = 'It beeps three times and takes no card.';
const PHOTO = 'reader-display.png';

const WORDS = {
  en: {
    offline: /^You are offline\./,
    waiting: 'Waiting to send',
    waitingHelp: 'It goes to the help desk as soon as you are back online.',
    notSent: 'Not sent',
    gone: /^Not sent: this ticket no longer exists, or it is not yours to see\./,
  },
  fa: {
    offline: /^آفلاین هستید\./,
    waiting: 'در انتظار ارسال',
    waitingHelp: 'به محض اینکه دوباره آنلاین شوید به پشتیبانی می‌رسد.',
    notSent: 'فرستاده نشد',
    gone: /^فرستاده نشد: این تیکت دیگر وجود ندارد یا دیدنش برای شما نیست\./,
  },
  fr: {
    offline: /^Vous êtes hors ligne\./,
    waiting: 'En attente d’envoi',
    waitingHelp: 'Elle part au support dès que vous êtes de nouveau en ligne.',
    notSent: 'Non envoyée',
    gone: /^Non envoyée/,
  },
} as const;
type Language = keyof typeof WORDS;

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let branchId: string;

beforeAll(async () => {
  await fs.mkdir(screenshotDir, { recursive: true });
  t = await startTestHub();
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

/** A new person of the kiosk's staff with one ticket the help desk has answered. */
async function staffWithTicket(username: string) {
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  await t.api.post('/api/v1/users', {
    username,
    password: PASSWORD,
    role: 'requester',
    tenantId: items.find((x) => x.slug === 'default')!.id,
    branchIds: [branchId],
  });
  const staff = new ApiClient(t.api.baseUrl);
  await staff.login(username, PASSWORD);
  const { ticket } = await staff.post<{ ticket: { id: string } }>('/api/v1/portal/tickets', {
    subject: SUBJECT,
    body: BODY,
    branchId,
  });
  await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: FIRST_ANSWER });
  return ticket.id;
}

async function signIn(page: Page, username: string, language: Language) {
  await page.goto(`${t.api.baseUrl}/`);
  await page.evaluate(`localStorage.setItem('bw.language', '${language}')`);
  await page.reload();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('portal-home').waitFor();
}

/** The names of the ticket's attachments the hub holds. */
async function storedFiles(ticketId: string) {
  const { attachments } = await t.api.get<{ attachments: { name: string }[] }>(
    `/api/v1/tickets/${ticketId}`,
  );
  return attachments.map((a) => a.name);
}

/** How many of the ticket's events the hub holds with this text. */
async function storedReplies(ticketId: string, body: string) {
  const { events } = await t.api.get<{ events: { body: string | null }[] }>(
    `/api/v1/tickets/${ticketId}`,
  );
  return events.filter((e) => e.body === body).length;
}

/** What people typed (and named) reads as it is: the rest is the portal's words. */
async function readsWell(page: Page, language: Language, username: string) {
  const reading = await readPage(page);
  expect(reading.overflowPx, 'page wider than the window').toBeLessThanOrEqual(0);
  expect(reading.outside).toEqual([]);
  expect(
    wordProblems(
      reading.texts,
      language,
      [SUBJECT, BODY, FIRST_ANSWER, LATE_ANSWER, REPLY, PHOTO, username, 'Kiosk'],
      new Set(),
    ),
  ).toEqual([]);
}

describe.each([
  ['en', PHONE],
  ['fa', PHONE],
  ['fr', PHONE],
  ['en', DESKTOP],
  ['fa', DESKTOP],
  ['fr', DESKTOP],
] as const)('branch staff offline in %s at %o', (language, size) => {
  const w = WORDS[language];
  const tag = `${language}-${size.width}`;

  it('open their ticket offline, reply, and see the reply once after the connection returns', async () => {
    const username = `offline-${language}-${size.width}`;
    const ticketId = await staffWithTicket(username);
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    const shot = (name: string) =>
      page.screenshot({
        path: path.join(screenshotDir, `journey-portal-offline-${tag}-${name}.png`),
      });
    try {
      await page.setViewportSize(size);
      await signIn(page, username, language);
      // The installable app: a manifest in the page's language and direction, with icons.
      const manifestUrl = await page.locator('link[rel=manifest]').getAttribute('href');
      expect(manifestUrl).toBe(`/manifest.${language}.webmanifest`);
      const manifest = (await (await fetch(`${t.api.baseUrl}${manifestUrl}`)).json()) as {
        name: string;
        lang: string;
        dir: string;
        theme_color: string;
        display: string;
        icons: { sizes: string; type: string }[];
      };
      expect(manifest).toMatchObject({
        name: 'Branchwatch',
        lang: language,
        dir: language === 'fa' ? 'rtl' : 'ltr',
        display: 'standalone',
      });
      expect(manifest.icons.map((i) => i.sizes)).toEqual(
        expect.arrayContaining(['192x192', '512x512']),
      );
      // The service worker takes charge of the page; the ticket is read once through it.
      await expect
        .poll(() => page.evaluate('navigator.serviceWorker.controller !== null'), {
          timeout: 20_000,
        })
        .toBe(true);
      await page.goto(`${t.api.baseUrl}/portal/tickets/${ticketId}`);
      await page.getByText(FIRST_ANSWER).waitFor();

      // The connection drops; meanwhile the help desk answers again.
      await browser.context.setOffline(true);
      await t.api.post(`/api/v1/tickets/${ticketId}/replies`, { body: LATE_ANSWER });
      await page.reload();
      await page.getByText(w.offline).waitFor();
      // The page is what the browser kept: the first answer, not the one written since.
      await page.getByText(FIRST_ANSWER).waitFor();
      expect(await page.getByText(LATE_ANSWER).count()).toBe(0);

      // A reply with a photo from the phone's camera, written offline: both wait.
      await page.getByTestId('portal-reply-body').fill(REPLY);
      await page.getByTestId('photo-input').setInputFiles({
        name: PHOTO,
        mimeType: 'image/png',
        buffer: pngImage(64, 48),
      });
      await page.getByTestId('portal-reply-send').click();
      const waiting = page.getByTestId('portal-waiting-reply');
      await waiting.getByText(w.waiting, { exact: true }).waitFor();
      await expect.poll(() => waiting.innerText()).toContain(REPLY);
      await expect.poll(() => waiting.innerText()).toContain(PHOTO);
      await expect.poll(() => waiting.innerText()).toContain(w.waitingHelp);
      // The form is empty again: what was written is in the waiting reply, not lost.
      expect(await page.getByTestId('portal-reply-body').inputValue()).toBe('');
      expect(await page.getByTestId('picked-photo').count()).toBe(0);
      expect(await storedReplies(ticketId, REPLY)).toBe(0);
      expect(await storedFiles(ticketId)).toEqual([]);
      await waiting.scrollIntoViewIfNeeded();
      await shot('waiting');
      await readsWell(page, language, username);

      // Back online: the reply goes by itself and shows in the conversation, once.
      await browser.context.setOffline(false);
      await page.getByText(LATE_ANSWER).waitFor();
      await page.getByTestId('portal-waiting-reply').waitFor({ state: 'detached' });
      const conversation = page.getByTestId('portal-ticket-page');
      await expect.poll(() => conversation.getByText(REPLY, { exact: true }).count()).toBe(1);
      // The photo once among the ticket's files (the conversation also says it was added).
      const files = page.getByTestId('portal-files');
      await expect.poll(() => files.getByText(PHOTO, { exact: true }).count()).toBe(1);
      await expect.poll(() => page.getByText(w.offline).count()).toBe(0);
      expect(await storedReplies(ticketId, REPLY)).toBe(1);
      expect(await storedFiles(ticketId)).toEqual([PHOTO]);
      // Read again: still once, on the page and on the hub.
      await page.reload();
      await page.getByText(LATE_ANSWER).waitFor();
      expect(await conversation.getByText(REPLY, { exact: true }).count()).toBe(1);
      expect(await files.getByText(PHOTO, { exact: true }).count()).toBe(1);
      expect(await storedReplies(ticketId, REPLY)).toBe(1);
      expect(await storedFiles(ticketId)).toEqual([PHOTO]);
      await shot('sent');
      await readsWell(page, language, username);
    } finally {
      await browser.context.setOffline(false);
      await page.close();
    }
  }, 90_000);
});

describe.each([
  ['en', PHONE],
  ['fa', PHONE],
] as const)('a reply refused when it arrives, in %s at %o', (language, size) => {
  const w = WORDS[language];

  it('shows "Not sent" and why at the reply, with its photo, until discarded', async () => {
    const username = `refused-${language}-${size.width}`;
    const ticketId = await staffWithTicket(username);
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize(size);
      await signIn(page, username, language);
      await page.goto(`${t.api.baseUrl}/portal/tickets/${ticketId}`);
      await page.getByText(FIRST_ANSWER).waitFor();
      await browser.context.setOffline(true);
      await page.getByTestId('portal-reply-body').fill(REPLY);
      await page.getByTestId('photo-input').setInputFiles({
        name: PHOTO,
        mimeType: 'image/png',
        buffer: pngImage(64, 48),
      });
      await page.getByTestId('portal-reply-send').click();
      const waiting = page.getByTestId('portal-waiting-reply');
      await waiting.getByText(w.waiting, { exact: true }).waitFor();
      // Meanwhile the person is moved to another branch: the kiosk's ticket is no longer theirs.
      const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
        slug: `depot-${language}`,
        name: 'Depot',
        tenant: 'default',
      });
      const { items } = await t.api.get<{ items: { id: string; username: string }[] }>(
        '/api/v1/users',
      );
      const userId = items.find((u) => u.username === username)!.id;
      await t.api.request('PATCH', `/api/v1/users/${userId}`, { branchIds: [branch.id] });
      await browser.context.setOffline(false);
      await waiting.getByText(w.notSent, { exact: true }).waitFor({ timeout: 30_000 });
      await expect
        .poll(() => waiting.getByTestId('portal-waiting-why').innerText())
        .toMatch(w.gone);
      expect(await waiting.innerText()).toContain(REPLY);
      expect(await waiting.innerText()).toContain(PHOTO);
      expect(await storedReplies(ticketId, REPLY)).toBe(0);
      expect(await storedFiles(ticketId)).toEqual([]);
      await waiting.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: path.join(screenshotDir, `journey-portal-offline-refused-${language}.png`),
      });
      await readsWell(page, language, username);
      await waiting.getByRole('button').click();
      await waiting.waitFor({ state: 'detached' });
    } finally {
      await browser.context.setOffline(false);
      await page.close();
    }
  }, 90_000);
});

describe('a reply with a photo sent online', () => {
  it('stores the text and the photo once, and empties the form', async () => {
    const username = 'online-en-390';
    const ticketId = await staffWithTicket(username);
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize(PHONE);
      await signIn(page, username, 'en');
      await page.goto(`${t.api.baseUrl}/portal/tickets/${ticketId}`);
      await page.getByText(FIRST_ANSWER).waitFor();
      await page.getByTestId('portal-reply-body').fill(REPLY);
      await page.getByTestId('photo-input').setInputFiles({
        name: PHOTO,
        mimeType: 'image/png',
        buffer: pngImage(64, 48),
      });
      await page.getByTestId('portal-reply-send').click();
      const files = page.getByTestId('portal-files');
      await expect.poll(() => files.getByText(PHOTO, { exact: true }).count()).toBe(1);
      await page.getByTestId('portal-ticket-page').getByText(REPLY, { exact: true }).waitFor();
      expect(await page.getByTestId('portal-reply-body').inputValue()).toBe('');
      expect(await page.getByTestId('picked-photo').count()).toBe(0);
      expect(await page.getByTestId('portal-waiting-reply').count()).toBe(0);
      expect(await storedReplies(ticketId, REPLY)).toBe(1);
      expect(await storedFiles(ticketId)).toEqual([PHOTO]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
