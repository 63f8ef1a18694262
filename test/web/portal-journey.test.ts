import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, icmpResult, tcpResult } from '../support/batches.js';
import { launchBrowser } from '../support/browser.js';
import { publish, startTestHub, type TestHub } from '../support/hub.js';
import { screenshotDir } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';
import { seedWalk, type WalkSeed } from './walk-seed.js';

/**
 * Branch staff in the requester portal, on a phone (and once on a desktop), in English and
 * Persian: they land on their branch's health, see that the help desk already knows about the
 * failing telephone exchange and follow it instead of reporting it again; then they report
 * another problem with a photo from the phone's camera, read the help desk's answer when it
 * comes, rate the resolution and download their tickets. In real Chromium against a real hub
 * whose agents report a failing check; assertions are on what the person reads.
 */

const WORDS = {
  en: {
    hello: (name: string) => `Hello, ${name}`,
    degraded: 'Something does not work well',
    notWorking: 'Not working: Telephone system. Everything else works.',
    alreadyKnown: 'Already known',
    knownIncident: /^Known incident #\d+ · Head office$/,
    beingWorkedOn: /^since .+ · (being worked on|the help desk has it)$/,
    follow: 'Follow',
    following: 'You follow it',
    report: 'Report a problem',
    subject: 'What is wrong, in a few words',
    kind: 'Kind of problem',
    hardware: 'Hardware',
    body: 'What happens',
    send: 'Send',
    sent: /^Ticket #\d+ sent\. The help desk will answer here\.$/,
    open: 'open',
    answered: 'answered',
    resolved: 'resolved',
    files: 'Files and photos',
    rate: 'How well was it solved?',
    stars: (n: number) => `${n} of 5 stars`,
    comment: 'A comment (optional)',
    sendRating: 'Send rating',
    rated: 'You rated it 4 of 5. Thank you.',
    tickets: 'Tickets',
    home: 'Home',
    monitoring: 'Monitoring',
    notifications: 'Notifications',
    profile: 'Profile',
    knowledge: 'Knowledge',
    inbox: [/^#\d+ is now resolved$/, /^admin replied on #\d+$/],
    unread: '2 unread',
    readAll: 'Mark all read',
    allRead: 'All read',
    myTickets: 'My tickets',
    csv: 'Download as CSV',
    reopenHelp: /^Not solved after all\? You can reopen it until .+\.$/,
  },
  fa: {
    hello: (name: string) => `سلام \u2068${name}\u2069`,
    degraded: 'چیزی خوب کار نمی‌کند',
    notWorking: 'کار نمی‌کند: \u2068سامانهٔ تلفن\u2069. بقیه درست کار می‌کند.',
    alreadyKnown: 'مشکلات شناخته‌شده',
    knownIncident: /^رخداد شناخته‌شده \u2068#\u2068[۰-۹]+\u2069\u2069 · Head office$/,
    beingWorkedOn: /^از .+ · (در دست بررسی|پشتیبانی از آن خبر دارد)$/,
    follow: 'دنبال کردن',
    following: 'دنبال می‌کنید',
    report: 'گزارش مشکل',
    subject: 'مشکل چیست، در چند کلمه',
    kind: 'نوع مشکل',
    hardware: 'سخت‌افزار',
    body: 'چه اتفاقی می‌افتد',
    send: 'ارسال',
    sent: /^تیکت \u2068#\u2068[۰-۹]+\u2069\u2069 فرستاده شد\. پشتیبانی همین‌جا پاسخ می‌دهد\.$/,
    open: 'باز',
    answered: 'پاسخ داده شده',
    resolved: 'حل شده',
    files: 'پرونده‌ها و عکس‌ها',
    rate: 'چقدر خوب حل شد؟',
    stars: (n: number) => `${new Intl.NumberFormat('fa').format(n)} از ۵ ستاره`,
    comment: 'نظر شما (اختیاری)',
    sendRating: 'ارسال امتیاز',
    rated: 'به آن ۴ از ۵ دادید. سپاس.',
    tickets: 'تیکت‌ها',
    home: 'خانه',
    monitoring: 'پایش',
    notifications: 'اعلان‌ها',
    profile: 'نمایه',
    knowledge: 'پایگاه دانش',
    inbox: [/^#\u2068[۰-۹]+\u2069 اکنون حل شده است$/, /^admin به #\u2068[۰-۹]+\u2069 پاسخ داد$/],
    unread: '۲ خوانده‌نشده',
    readAll: 'همه خوانده شد',
    allRead: 'همه خوانده شده',
    myTickets: 'تیکت‌های من',
    csv: 'دریافت CSV',
    reopenHelp: /^هنوز حل نشده؟ تا .+ می‌توانید آن را دوباره باز کنید\.$/,
  },
} as const;
type Language = keyof typeof WORDS;

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const PASSWORD = 'branch-staff-pass-1';
// The smallest PNG there is (1×1, transparent): a photo as the camera would hand it over.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const BODY = 'The screen stays black since this morning.';
const ANSWER = 'We replaced the card reader; please try a payment.';
const COMMENT = 'Quick and friendly.';

let t: TestHub;
let seed: WalkSeed;
let tenantId: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
/** What the failing telephone exchange's alert ticket is called (the hub wrote it). */
let alertSubject: string;

beforeAll(async () => {
  await fs.mkdir(screenshotDir, { recursive: true });
  // The seed's webhook goes to a loopback port where nothing listens (walk-seed.ts).
  t = await startTestHub({ BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' });
  seed = await seedWalk(t);
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  const { ticket } = await t.api.get<{ ticket: { subject: string } }>(
    `/api/v1/tickets/${seed.alertTicket}`,
  );
  alertSubject = ticket.subject;
  // What failed, in words (the tenant writes English), not the check's code name `pbx-sip`.
  expect(alertSubject).toBe('Telephone system down at Head office');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const client of seed?.clients ?? []) await client.endAsync();
  await browser?.close();
  await t?.stop();
});

let seq = 100;
/**
 * The head office's agent reports a round now (the WAN answers, the telephone exchange does
 * not), so its checks are current whenever a story starts, however long the ones before took.
 */
async function headOfficeReports() {
  const now = new Date();
  const rounds = [
    icmpResult('wan-ping', now, 0, 23, '203.0.113.1'),
    tcpResult('pbx-sip', now, false),
  ];
  seq += 1;
  await publish(
    seed.clients[0]!,
    topics.results({ tenant: 'default', branch: 'hq', agent: 'srv-hq' }),
    JSON.stringify(batch('srv-hq', seq, rounds)),
  );
}

/** A person of the head office's staff, new for each story (following is theirs alone). */
async function branchStaff(username: string) {
  await headOfficeReports();
  await t.api.post('/api/v1/users', {
    username,
    password: PASSWORD,
    role: 'requester',
    tenantId,
    branchIds: [seed.hqBranch],
  });
}

/** Signs in from the address a desk person would use, in `language`, at `size`. */
async function signInAs(username: string, language: 'en' | 'fa' | 'fr', size: typeof PHONE) {
  // One browser profile for every story: each person starts signed out.
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize(size);
  await page.goto(`${t.api.baseUrl}/`);
  await page.evaluate(`localStorage.setItem('bw.language', '${language}')`);
  await page.reload();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('portal-home').waitFor();
  // The portal reads its own live stream (their tickets, their notifications), not polling.
  await expect.poll(() => page.locator('html').getAttribute('data-bw-live')).toBe('live');
  return page;
}

function shooter(page: Page, tag: string) {
  return (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `journey-portal-${tag}-${name}.png`) });
}

/** Nothing wider than the screen, no code names, ids or ISO times in what the person reads. */
async function readsWell(page: Page, language: Language, typed: string[] = []) {
  const reading = await readPage(page);
  expect(reading.overflowPx, 'page wider than the window').toBeLessThanOrEqual(0);
  expect(reading.outside).toEqual([]);
  expect(wordProblems(reading.texts, language, [...seed.data, ...typed], new Set(['CSV']))).toEqual(
    [],
  );
}

async function satisfaction() {
  const answer = await t.api.get<{ satisfaction: { ratings: number } | null }>(
    `/api/v1/reports/dashboard?${new URLSearchParams({
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
      tenant: tenantId,
    }).toString()}`,
  );
  return answer.satisfaction ?? { ratings: 0 };
}

/** Goes to a tab as the person would: the bottom navigation on a phone, the header elsewhere. */
async function goTo(page: Page, name: string) {
  const phone = (page.viewportSize()?.width ?? 1280) < 992;
  const nav = page.getByRole(phone ? 'contentinfo' : 'banner').getByRole('navigation');
  await nav.getByRole('link', { name, exact: true }).click();
}

describe.each([
  ['en', PHONE],
  ['fa', PHONE],
  ['en', DESKTOP],
] as const)('branch staff in %s at %o', (language, size) => {
  const w = WORDS[language];
  const tag = `${language}-${size.width}`;

  it('land on their branch, see the known incident and follow it instead of reporting it', async () => {
    const username = `hq-follow-${tag}`;
    await branchStaff(username);
    const page = await signInAs(username, language, size);
    const shot = shooter(page, tag);
    try {
      // The desk's address brought them to the portal, not to the NOC's pages.
      expect(new URL(page.url()).pathname).toBe('/portal');
      await expect
        .poll(() => page.getByRole('main').getByRole('heading', { level: 1 }).innerText())
        .toBe(w.hello(username));
      const health = page.getByTestId('branch-health');
      await expect.poll(() => health.getByTestId('health-headline').innerText()).toBe(w.degraded);
      expect(await health.getByTestId('health-reason').innerText()).toBe(w.notWorking);
      // The bottom navigation on a phone, the same five pages in the header on a desktop.
      const phone = size.width < 992;
      const nav = page.getByRole(phone ? 'contentinfo' : 'banner').getByRole('navigation');
      const tabs = [w.home, w.tickets, w.monitoring, w.notifications, w.profile];
      // On a desktop the knowledge base follows them; on a phone it is in the header's menu.
      expect(await nav.getByRole('link').allInnerTexts()).toEqual(
        phone ? tabs : [...tabs, w.knowledge],
      );

      const known = page.getByTestId('known-incidents');
      expect(await known.getByRole('heading').innerText()).toBe(w.alreadyKnown);
      const incident = known.getByTestId('known-incident');
      await expect.poll(() => incident.count()).toBe(1);
      const lines = (await incident.innerText()).split('\n').filter(Boolean);
      expect(lines[0]).toMatch(w.knownIncident);
      expect(lines[1]).toBe(alertSubject);
      expect(lines[2]).toMatch(w.beingWorkedOn);
      await readsWell(page, language, [username, alertSubject]);
      await shot('home');

      await incident.getByRole('button', { name: w.follow, exact: true }).click();
      await expect
        .poll(() => incident.getByTestId('incident-followed').innerText())
        .toBe(w.following);
      await shot('followed');

      // It is among their tickets now, so its news reach them.
      await goTo(page, w.tickets);
      const rows = page.getByTestId('portal-ticket');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(alertSubject);
      await readsWell(page, language, [username, alertSubject]);
      await shot('tickets');
    } finally {
      await page.close();
    }
  });

  it('report a problem with a photo, read the answer, and rate the resolution', async () => {
    const username = `hq-report-${tag}`;
    await branchStaff(username);
    const page = await signInAs(username, language, size);
    const shot = shooter(page, tag);
    const subject = `Card reader at counter 2 is dead (${tag})`;
    const ratingsBefore = (await satisfaction()).ratings;
    try {
      await page.getByRole('link', { name: w.report, exact: true }).click();
      await page.getByLabel(w.subject).fill(subject);
      await page.getByRole('combobox', { name: w.kind, exact: true }).click();
      await page.getByRole('option', { name: w.hardware, exact: true }).click();
      await page.getByLabel(w.body).fill(BODY);
      // The photo input opens the camera on a phone (accept="image/*" capture).
      const photoInput = page.getByTestId('photo-input');
      expect(await photoInput.getAttribute('accept')).toBe('image/*');
      expect(await photoInput.getAttribute('capture')).toBe('environment');
      await photoInput.setInputFiles({ name: 'reader.png', mimeType: 'image/png', buffer: PHOTO });
      await expect
        .poll(() => page.getByTestId('picked-photo-name').allInnerTexts())
        .toEqual(['reader.png']);
      await readsWell(page, language, [username, subject, BODY, ANSWER, COMMENT, 'reader.png']);
      await shot('new');
      await page.getByRole('button', { name: w.send, exact: true }).click();

      await expect.poll(() => page.getByTestId('portal-sent').innerText()).toMatch(w.sent);
      expect(await page.getByRole('main').getByRole('heading', { level: 1 }).innerText()).toBe(
        subject,
      );
      expect(await page.getByTestId('ticket-state').innerText()).toBe(w.open);
      const files = page.getByTestId('portal-files');
      expect((await files.innerText()).split('\n').filter(Boolean)).toEqual([
        w.files,
        'reader.png',
      ]);
      await readsWell(page, language, [username, subject, BODY, ANSWER, COMMENT, 'reader.png']);
      await shot('sent');

      // The help desk answers and resolves it (through its API, as the desk's page does).
      const ticketId = new URL(page.url()).pathname.split('/').at(-1)!;
      const answer = ANSWER;
      await t.api.post(`/api/v1/tickets/${ticketId}/replies`, {
        body: answer,
        visibility: 'public',
      });
      await t.api.post(`/api/v1/tickets/${ticketId}/replies`, {
        body: 'Internal: reader serial 4411 swapped.',
        visibility: 'internal',
      });
      // The page reads again by itself: the answer appears without a reload.
      const messages = page.getByTestId('message-body');
      await expect.poll(() => messages.allInnerTexts(), { timeout: 30_000 }).toContain(answer);
      expect(await messages.allInnerTexts()).not.toContain('Internal: reader serial 4411 swapped.');
      await shot('answered');

      await t.api.request('PATCH', `/api/v1/tickets/${ticketId}`, { state: 'resolved' });
      await expect
        .poll(() => page.getByTestId('ticket-state').innerText(), { timeout: 30_000 })
        .toBe(w.resolved);
      expect(await page.getByTestId('portal-reopen').innerText()).toMatch(
        new RegExp(w.reopenHelp.source.replace('$', '')),
      );
      const rating = page.getByTestId('portal-rating');
      expect(await rating.getByText(w.rate).count()).toBe(1);
      // The fourth star, as a finger taps it (its radio input is hidden behind the star).
      const fourth = await rating.getByLabel(w.stars(4), { exact: true }).getAttribute('id');
      await rating.locator(`label[for="${fourth}"]`).click();
      await rating.getByLabel(w.comment).fill(COMMENT);
      await readsWell(page, language, [username, subject, BODY, ANSWER, COMMENT, 'reader.png']);
      await shot('rate');
      await rating.getByRole('button', { name: w.sendRating, exact: true }).click();
      await expect.poll(() => page.getByTestId('portal-rated').innerText()).toContain(w.rated);
      await shot('rated');

      // The rating reaches the desk's satisfaction figures (one more rating than before).
      await expect.poll(async () => (await satisfaction()).ratings).toBe(ratingsBefore + 1);

      // The bell counts the news; the Notifications page tells it in words.
      await expect
        .poll(() => page.getByTestId('bell-count').first().innerText(), { timeout: 30_000 })
        .toMatch(/^[2۲]$/);
      await goTo(page, w.notifications);
      const sentences = page.getByTestId('inbox-sentence');
      await expect.poll(() => sentences.count()).toBe(2);
      const said = await sentences.allInnerTexts();
      expect(said[0]).toMatch(w.inbox[0]);
      expect(said[1]).toMatch(w.inbox[1]);
      expect(await page.getByTestId('inbox-unread').innerText()).toBe(w.unread);
      await readsWell(page, language, [username, subject, ANSWER]);
      await shot('notifications');
      await page.getByRole('button', { name: w.readAll, exact: true }).click();
      await expect.poll(() => page.getByTestId('inbox-unread').innerText()).toBe(w.allRead);

      // Their tickets, and the same as a CSV file.
      await goTo(page, w.tickets);
      const row = page.getByTestId('portal-ticket').filter({ hasText: subject });
      expect(await row.getByTestId('ticket-state').innerText()).toBe(w.resolved);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: w.csv, exact: true }).click(),
      ]);
      const csv = await fs.readFile((await download.path())!, 'utf8');
      // The byte order mark first, so Excel reads the Persian subjects as UTF-8.
      expect(csv.split('\r\n')[0]).toBe(
        '\uFEFFnumber,subject,state,category,branch,opened_at,resolved_at,rating',
      );
      expect(csv).toContain(`${subject},resolved,hardware,Head office,`);
      expect(csv).toMatch(/,4\r\n/);
    } catch (error) {
      await shot('failed');
      throw error;
    } finally {
      await page.close();
    }
  });
});

describe('every portal page, phone and desktop, three languages', () => {
  it('fits the screen and reads in words, with no ids, code names or ISO times', async () => {
    const username = 'hq-walker';
    await branchStaff(username);
    // Something on every page: a ticket with a reply, resolved, so its page shows the rating.
    const subject = 'Window of counter 3 does not close';
    const mine = await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject,
      body: BODY,
      branchId: seed.hqBranch,
    });
    const ticketId = mine.ticket.id;
    await t.api.post(`/api/v1/tickets/${ticketId}/watchers`, {
      userId: (
        await t.api.get<{ items: { id: string; username: string }[] }>('/api/v1/users')
      ).items.find((u) => u.username === username)!.id,
    });
    await t.api.post(`/api/v1/tickets/${ticketId}/replies`, { body: ANSWER, visibility: 'public' });
    await t.api.request('PATCH', `/api/v1/tickets/${ticketId}`, { state: 'resolved' });
    const pages: [string, string, string][] = [
      ['home', '/portal', 'portal-home'],
      ['tickets', '/portal/tickets', 'portal-ticket'],
      ['new', '/portal/tickets/new', 'portal-new-ticket'],
      ['ticket', `/portal/tickets/${ticketId}`, 'portal-rating'],
      ['monitoring', '/portal/monitoring', 'portal-check'],
      ['notifications', '/portal/notifications', 'inbox-item'],
      ['profile', '/portal/profile', 'portal-branches'],
    ];
    const problems: string[] = [];
    for (const size of [PHONE, DESKTOP]) {
      for (const language of ['en', 'fa', 'fr'] as const) {
        await headOfficeReports();
        const page = await signInAs(username, language, size);
        try {
          for (const [name, url, ready] of pages) {
            await page.goto(`${t.api.baseUrl}${url}`);
            await page.getByTestId(ready).first().waitFor();
            const shot = `walk-portal-${name}-${size.width}-${language}.png`;
            await page.screenshot({ path: path.join(screenshotDir, shot), fullPage: true });
            const reading = await readPage(page);
            if (reading.overflowPx > 0) problems.push(`${shot}: ${reading.overflowPx} px too wide`);
            for (const p of reading.outside) problems.push(`${shot}: ${p}`);
            // The monitoring page names what each check reaches, as the admin wrote it.
            const targets = ['example.org', '203.0.113.1', '127.0.0.1:9'];
            const data = [...seed.data, ...targets, username, subject, alertSubject, BODY, ANSWER];
            for (const p of wordProblems(reading.texts, language, data, new Set(['CSV'])))
              problems.push(`${shot}: ${p}`);
          }
        } finally {
          await page.close();
        }
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
