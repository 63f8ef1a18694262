import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { ApiClient } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { screenshotDir } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';
import { seedWalk, type WalkSeed } from './walk-seed.js';

/**
 * The knowledge base in the desk: an agent answers a requester's ticket with an article (its
 * text, then its link), the requester opens the article from the conversation in the portal
 * and rates the ticket; an alert ticket shows the steps of the runbook linked to its check
 * type. Real Chromium against a real hub; assertions are on what people read.
 */

const WAIT = { timeout: 30_000 };
const PASSWORD = 'desk-kb-password-1';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const shots = path.join(screenshotDir, 'desk-knowledge');

const READER = {
  en: {
    title: 'The card reader does not take payments',
    body: '1. Unplug the card reader.\n2. Wait ten seconds and plug it in again.\n3. Try a small payment.',
  },
  fa: {
    title: 'کارت‌خوان پرداخت را نمی‌پذیرد',
    body: '1. کارت‌خوان را از برق بکشید.\n2. ده ثانیه صبر کنید و دوباره وصل کنید.\n3. یک پرداخت کوچک امتحان کنید.',
  },
};
// Staff only: the agent reads it, the requester would not, so it is never offered for a reply.
const STAFF = { title: 'Card reader firmware flashing', body: 'Use the vendor card reader tool.' };
const RUNBOOK = {
  en: {
    title: 'When a branch service stops answering',
    body: '## Steps\n\n1. Check that the device has power.\n2. Ask the branch to restart it.',
  },
  fa: {
    title: 'وقتی سرویسی در شعبه پاسخ نمی‌دهد',
    body: '## گام‌ها\n\n1. برق دستگاه را بررسی کنید.\n2. از شعبه بخواهید آن را دوباره راه‌اندازی کند.',
  },
};
// The seed's check keys and agent names (the alert ticket shows them), protocols.
const TECHNICAL = new Set([
  'CSV',
  'PDF',
  'Excel',
  'TCP',
  'srv-hq',
  'pbx-sip',
  'hq',
  'srv',
  'pbx',
  'sip',
]);
const SUBJECT = 'The card reader at counter 1 refuses cards';
const PROBLEM = 'Every card is refused since the morning.';

let t: TestHub;
let seed: WalkSeed;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let readerId: string;
let ticketId: string;
/** A second ticket, answered with the article's link through the API, for the walk. */
let walkTicketId: string;

// Lines of the articles as typed, and as their lists show them (without the number).
const lines = (text: string) => text.split('\n').flatMap((l) => [l, l.replace(/^(\d\.|##) /, '')]);
const typed = () => [
  ...seed.data,
  SUBJECT,
  PROBLEM,
  READER.en.title,
  READER.fa.title,
  ...lines(READER.en.body),
  ...lines(READER.fa.body),
  ...lines(RUNBOOK.en.body),
  ...lines(RUNBOOK.fa.body),
  RUNBOOK.en.title,
  RUNBOOK.fa.title,
  'hq-agent',
  'hq-clerk',
];

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub({ BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' });
  seed = await seedWalk(t);
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  const tenantId = items.find((x) => x.slug === 'default')!.id;
  await t.api.post('/api/v1/users', {
    username: 'hq-agent',
    password: PASSWORD,
    role: 'support_agent',
    tenantId,
  });
  await t.api.post('/api/v1/users', {
    username: 'hq-clerk',
    password: PASSWORD,
    role: 'requester',
    tenantId,
    branchIds: [seed.hqBranch],
  });
  const article = (body: Record<string, unknown>) =>
    t.api.post<{ id: string }>('/api/v1/knowledge/articles', {
      tenantId,
      state: 'published',
      ...body,
    });
  readerId = (
    await article({
      audience: 'public',
      translations: [
        { language: 'en', ...READER.en },
        { language: 'fa', ...READER.fa },
      ],
    })
  ).id;
  await article({ audience: 'internal', translations: [{ language: 'en', ...STAFF }] });
  // The seed's telephone exchange is a TCP check whose port stopped answering: an alert ticket.
  await article({
    audience: 'internal',
    checkTypes: ['tcp'],
    translations: [
      { language: 'en', ...RUNBOOK.en },
      { language: 'fa', ...RUNBOOK.fa },
    ],
  });
  const clerk = new ApiClient(t.api.baseUrl);
  await clerk.login('hq-clerk', PASSWORD);
  const { ticket } = await clerk.post<{ ticket: { id: string } }>('/api/v1/portal/tickets', {
    subject: SUBJECT,
    body: PROBLEM,
    branchId: seed.hqBranch,
  });
  ticketId = ticket.id;
  const second = await clerk.post<{ ticket: { id: string } }>('/api/v1/portal/tickets', {
    subject: SUBJECT,
    body: PROBLEM,
    branchId: seed.hqBranch,
  });
  walkTicketId = second.ticket.id;
  await t.api.post(`/api/v1/tickets/${walkTicketId}/replies`, {
    body: `${READER.en.title}:\n${t.api.baseUrl}/knowledge/${readerId}`,
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const client of seed?.clients ?? []) await client.endAsync();
  await browser?.close();
  await t?.stop();
});

/** Signs `username` in at `url` in `language`, whoever was signed in before. */
async function signInAs(
  username: string,
  url: string,
  language: 'en' | 'fa' | 'fr',
  size: typeof PHONE,
): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize(size);
  await page.goto(`${t.api.baseUrl}/`);
  await page.evaluate(`localStorage.setItem('bw.language', '${language}')`);
  await page.goto(`${t.api.baseUrl}${url}`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  return page;
}

async function readsWell(
  page: Page,
  language: 'en' | 'fa' | 'fr',
  shot: string,
  extra: string[] = [],
) {
  await page.screenshot({ path: path.join(shots, `${shot}.png`), fullPage: true });
  const reading = await readPage(page);
  const problems = [
    ...(reading.overflowPx > 1 ? [`${reading.overflowPx} px too wide`] : []),
    ...reading.outside,
    ...wordProblems(reading.texts, language, [...typed(), ...extra], TECHNICAL),
  ];
  expect(problems, shot).toEqual([]);
}

describe('the knowledge base in the desk', () => {
  it('an agent answers with an article; the requester opens it from the portal and rates the ticket', async () => {
    const desk = await signInAs('hq-agent', `/tickets/${ticketId}`, 'en', DESKTOP);
    try {
      await desk.getByTestId('reply-box').waitFor(WAIT);
      await desk.getByRole('button', { name: 'Insert article', exact: true }).click();
      const dialog = desk.getByRole('dialog');
      await dialog.getByLabel('Find an article').fill('card reader');
      const hits = dialog.getByTestId('kb-insert-hit');
      await hits.first().waitFor(WAIT);
      // The staff's article matches too, but the requester could not read it: not offered.
      expect(await hits.count()).toBe(1);
      expect(await hits.innerText()).toContain(READER.en.title);
      await hits.getByRole('button', { name: 'Insert text', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', ...WAIT });
      const body = desk.getByLabel('Message', { exact: true });
      expect(await body.inputValue()).toBe(`${READER.en.title}\n\n${READER.en.body}`);
      expect(await desk.getByTestId('kb-inserted').innerText()).toBe(
        `“${READER.en.title}” is in the reply. Send it when it reads well.`,
      );

      // Then its link, under the text: the conversation names it by its title.
      await desk.getByRole('button', { name: 'Insert article', exact: true }).click();
      await dialog.getByLabel('Find an article').fill('payments');
      await dialog.getByRole('button', { name: 'Insert link', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', ...WAIT });
      expect(await body.inputValue()).toBe(
        `${READER.en.title}\n\n${READER.en.body}\n\n${t.api.baseUrl}/knowledge/${readerId}`,
      );
      await desk.screenshot({ path: path.join(shots, 'agent-reply-1440-en.png'), fullPage: true });
      await desk.getByRole('button', { name: 'Send reply', exact: true }).click();
      const sent = desk.getByTestId('message').filter({ hasText: '1. Unplug the card reader.' });
      await sent.waitFor(WAIT);
      await expect
        .poll(() => sent.getByTestId('message-article').innerText(), WAIT)
        .toBe(READER.en.title);
    } finally {
      await desk.close();
    }
    await t.api.request('PATCH', `/api/v1/tickets/${ticketId}`, { state: 'resolved' });

    // The requester, on a phone in Persian: the link reads as the article's Persian title.
    const page = await signInAs('hq-clerk', `/portal/tickets/${ticketId}`, 'fa', PHONE);
    try {
      const link = page.getByTestId('message-article');
      await expect.poll(() => link.innerText(), WAIT).toBe(READER.fa.title);
      expect(await page.getByTestId('message-body').last().innerText()).toContain(
        '2. Wait ten seconds and plug it in again.',
      );
      await readsWell(page, 'fa', 'requester-answer-390-fa');
      await link.click();
      await expect
        .poll(() => page.getByTestId('kb-article-title').innerText(), WAIT)
        .toBe(READER.fa.title);
      expect(await page.getByTestId('kb-article-body').innerText()).toContain(
        'ده ثانیه صبر کنید و دوباره وصل کنید.',
      );
      await readsWell(page, 'fa', 'requester-article-390-fa');
      await page.goBack();
      const rating = page.getByTestId('portal-rating');
      await rating.getByText('چقدر خوب حل شد؟').waitFor(WAIT);
      const fifth = await rating.getByLabel('۵ از ۵ ستاره', { exact: true }).getAttribute('id');
      await rating.locator(`label[for="${fifth}"]`).click();
      await rating.getByRole('button', { name: 'ارسال امتیاز', exact: true }).click();
      await expect
        .poll(() => page.getByTestId('portal-rated').innerText(), WAIT)
        .toContain('به آن ۵ از ۵ دادید. سپاس.');
    } finally {
      await page.close();
    }
  });

  it('an agent writing down a call sees the article as the subject is typed, and it solves it', async () => {
    const report = () =>
      t.api.get<{ deflections: { articleId: string; count: number }[] }>(
        '/api/v1/knowledge/report',
      );
    const solvedBefore = (await report()).deflections.find((d) => d.articleId === readerId);
    const desk = await signInAs('hq-agent', '/tickets', 'en', DESKTOP);
    try {
      await desk.getByRole('button', { name: 'New ticket', exact: true }).click();
      const dialog = desk.getByRole('dialog');
      await dialog.getByLabel('Subject').fill('card reader refuses payments');
      const suggestion = dialog.getByTestId('kb-suggestion').filter({ hasText: READER.en.title });
      await suggestion.waitFor(WAIT);
      await suggestion.getByRole('button', { name: READER.en.title }).click();
      await suggestion
        .getByTestId('kb-suggestion-body')
        .getByText('Unplug the card reader.')
        .waitFor(WAIT);
      await desk.screenshot({ path: path.join(shots, 'desk-suggestion-1440-en.png') });
      await suggestion.getByRole('button', { name: 'This solved it', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', ...WAIT });
      await expect
        .poll(async () => (await report()).deflections.find((d) => d.articleId === readerId)?.count)
        .toBe((solvedBefore?.count ?? 0) + 1);
    } finally {
      await desk.close();
    }
  });

  it("shows the requester's tenant's most helpful articles on the portal's home, in Persian", async () => {
    const clerk = new ApiClient(t.api.baseUrl);
    await clerk.login('hq-clerk', PASSWORD);
    await clerk.request('POST', `/api/v1/knowledge/articles/${readerId}/deflections`, {});
    const { deflections } = await t.api.get<{
      deflections: { articleId: string; count: number }[];
    }>('/api/v1/knowledge/report');
    const solved = deflections.find((d) => d.articleId === readerId)!.count;
    const page = await signInAs('hq-clerk', '/portal', 'fa', PHONE);
    try {
      const widget = page.getByTestId('kb-widget');
      await widget.waitFor(WAIT);
      expect(await widget.getByRole('heading').innerText()).toBe('راهنمای مشکل‌های رایج');
      const first = widget.getByTestId('kb-widget-article').first();
      expect((await first.innerText()).split('\n').filter(Boolean)).toEqual([
        READER.fa.title,
        `${new Intl.NumberFormat('fa').format(solved)} مشکل را حل کرد`,
      ]);
      // Staff articles (the runbook, the firmware one) are not for branch staff.
      expect(await widget.innerText()).not.toContain(STAFF.title);
      expect(await widget.innerText()).not.toContain(RUNBOOK.fa.title);
      await first.getByRole('link').click();
      await expect
        .poll(() => page.getByTestId('kb-article-title').innerText(), WAIT)
        .toBe(READER.fa.title);
    } finally {
      await page.close();
    }
  });

  for (const [language, size, words] of [
    ['en', DESKTOP, { heading: 'What to do', open: 'Open the article' }],
    ['fa', PHONE, { heading: 'چه باید کرد', open: 'باز کردن مقاله' }],
  ] as const) {
    it(`an alert ticket shows its runbook's steps (${language}, ${size.width} px)`, async () => {
      const page = await signInAs('hq-agent', `/tickets/${seed.alertTicket}`, language, size);
      try {
        const card = page.getByTestId('runbooks');
        await card.waitFor(WAIT);
        expect(await card.getByTestId('runbooks-heading').innerText()).toBe(words.heading);
        expect(await card.getByTestId('runbook-title').innerText()).toBe(RUNBOOK[language].title);
        const steps = await card.getByTestId('runbook-body').locator('li').allInnerTexts();
        expect(steps).toEqual(
          RUNBOOK[language].body
            .split('\n')
            .filter((l) => /^\d\./.test(l))
            .map((l) => l.slice(3)),
        );
        await card.getByRole('link', { name: words.open, exact: true }).click();
        await expect
          .poll(() => page.getByTestId('kb-article-title').innerText(), WAIT)
          .toBe(RUNBOOK[language].title);
        // A ticket a person opened has no runbook card.
        await page.goto(`${t.api.baseUrl}/tickets/${ticketId}`);
        await page.getByTestId('reply-box').waitFor(WAIT);
        expect(await page.getByTestId('runbooks').count()).toBe(0);
      } finally {
        await page.close();
      }
    });
  }

  for (const size of [PHONE, DESKTOP]) {
    it(`reads well at ${size.width} px in three languages`, async () => {
      for (const language of ['en', 'fa', 'fr'] as const) {
        const tag = `${size.width}-${language}`;
        const desk = await signInAs('hq-agent', `/tickets/${seed.alertTicket}`, language, size);
        try {
          await desk.getByTestId('runbook-title').waitFor(WAIT);
          await readsWell(desk, language, `alert-runbook-${tag}`);
          await desk.goto(`${t.api.baseUrl}/tickets/${walkTicketId}`);
          await desk.getByTestId('message-article').first().waitFor(WAIT);
          await expect
            .poll(() => desk.getByTestId('message-article').first().innerText(), WAIT)
            .not.toBe('');
          await desk.getByTestId('kb-insert-open').click();
          await desk.getByTestId('kb-insert-search').fill('card');
          await desk.getByTestId('kb-insert-hit').first().waitFor(WAIT);
          // The search's marked passages are the article's text, cut where the words matched.
          type Pieces = { text: string }[];
          const { items } = await t.api.get<{ items: { titleMarks: Pieces; excerpt: Pieces }[] }>(
            `/api/v1/knowledge/tickets/${walkTicketId}/articles?q=card&language=${language}`,
          );
          const pieces = items.flatMap((h) => [...h.titleMarks, ...h.excerpt]);
          await readsWell(
            desk,
            language,
            `insert-${tag}`,
            pieces.map((p) => p.text.trim()),
          );
          await desk.goto(`${t.api.baseUrl}/tickets`);
          await desk.getByTestId('new-ticket-open').click();
          await desk.getByTestId('new-ticket-subject').fill('card reader');
          await desk.getByTestId('kb-suggestion').first().waitFor(WAIT);
          const suggested = await t.api.get<{ items: { titleMarks: Pieces }[] }>(
            `/api/v1/knowledge/suggestions?q=card%20reader&language=${language}`,
          );
          await readsWell(
            desk,
            language,
            `new-ticket-${tag}`,
            suggested.items.flatMap((h) => h.titleMarks.map((p) => p.text.trim())),
          );
        } finally {
          await desk.close();
        }
        const page = await signInAs('hq-clerk', `/portal/tickets/${walkTicketId}`, language, size);
        try {
          const title = language === 'fa' ? READER.fa.title : READER.en.title;
          await expect
            .poll(() => page.getByTestId('message-article').first().innerText(), WAIT)
            .toBe(title);
          await readsWell(page, language, `requester-${tag}`);
          await page.goto(`${t.api.baseUrl}/portal`);
          await page.getByTestId('kb-widget').waitFor(WAIT);
          await readsWell(page, language, `portal-home-${tag}`);
        } finally {
          await page.close();
        }
      }
    });
  }
});
