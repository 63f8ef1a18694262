import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  openMySettings,
  screenshotDir,
  signIn,
  useScheme,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';
import { SEED_PASSWORD, seedWalk, type WalkSeed } from './walk-seed.js';

/**
 * Every page of the UI, on a phone (390×844) and a desktop (1440×900), in English, Persian and
 * French, against a real hub with something on every page. A page fails when it is wider
 * than the window, cuts a button, or shows a message key, a code name, a raw id or an ISO
 * timestamp (in Persian and French also English the UI wrote). The admin sections are read
 * from the admin menu, so a new section is walked without touching this file. Screenshots of
 * every page go to the screenshot folder (walk/), to be looked at.
 */

// Words that are names of things, not leftovers: protocols, products, units, time zones and
// the slugs, usernames and check keys of the seed.
const TECHNICAL = new Set(
  (
    'Branchwatch ICMP TCP HTTP HTTPS DNS SNMP SIP ONVIF MOS WAN LLDP SLA JSON CSV PDF Excel URL ' +
    'UTC MQTT ' +
    'Telegram Slack Microsoft Teams Webhook webhook icmp tcp dns http https snmp sip onvif voice ' +
    'ms Asia Tehran Europe Paris Natural Earth curl sudo sh fsSL bwe agent yaml RRULE ' +
    'hq srv srv-hq srv-sh shiraz tabriz acme default admin sara noc-night tenant-admin wan-ping ' +
    'pbx-sip ' +
    'dns-resolver example org branchwatch Valiasr Street Tehran Acme Retail Head office Shiraz ' +
    'Printer Standard Field service ' +
    // The SCIM address a directory is given (Admin → Users), as it is typed: /scim/v2.
    'scim v'
  ).split(' '),
);

const shots = path.join(screenshotDir, 'walk');
let t: TestHub;
let seed: WalkSeed;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  // The seed's webhook points at a closed port of loopback, which only an allowed network may
  // reach: its deliveries then fail and are retried, as a receiver that is down.
  t = await startTestHub({ BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' });
  seed = await seedWalk(t);
  // The alert ticket's words are the hub's, in the tenant's language: data on this page.
  const { ticket } = await t.api.get<{ ticket: { subject: string; body?: string | null } }>(
    `/api/v1/tickets/${seed.alertTicket}`,
  );
  seed.data.push(ticket.subject, ...(ticket.body ?? '').split('\n').filter((l) => l.trim()));
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const client of seed?.clients ?? []) client.end(true);
  await browser?.close();
  await t?.stop();
});

/** Signed in, every request answered and no loader left: the page as a person reads it. */
async function settle(page: Page) {
  await page
    .locator('[data-testid=logout]:visible, [data-testid=header-menu]:visible')
    .first()
    .waitFor();
  await page.waitForTimeout(100);
  // Polled with evaluate: waitForFunction compiles its predicate in the page, which the
  // hub's Content-Security-Policy (no 'unsafe-eval') refuses.
  await expect
    .poll(
      () =>
        page.evaluate<boolean>(
          `[...document.querySelectorAll('.mantine-Loader-root')].some((e) => e.checkVisibility())`,
        ),
      { timeout: 15_000, interval: 100 },
    )
    .toBe(false);
  await page.waitForTimeout(150);
}

/** Goes to `url` inside the app, as its links do: no reload, so the walk stays quick. */
async function open(page: Page, url: string) {
  await page.evaluate(`(() => {
    history.pushState(null, '', ${JSON.stringify(url)});
    dispatchEvent(new PopStateEvent('popstate'));
    scrollTo(0, 0);
  })()`);
  await settle(page);
}

/** The language the admin's preferences hold on the hub: a chosen language is stored there. */
async function storedLanguage() {
  const { preferences } = await t.api.get<{ preferences: { language?: string } }>(
    '/api/v1/notify/preferences',
  );
  return preferences.language;
}

/** The pages to walk: fixed ones, then every admin section its menu offers. */
async function pagesOf(page: Page): Promise<[string, string][]> {
  const fixed: [string, string][] = [
    ['overview', '/'],
    ['map', '/map'],
    ['map-geo', '/map?view=geo'],
    ['map-branch', `/map?branch=${seed.hqBranch}`],
    ['branch', `/branches/${seed.hqBranch}`],
    ['tickets', '/tickets'],
    ['reports', '/reports'],
    ['knowledge', '/knowledge'],
    ['ticket-alert', `/tickets/${seed.alertTicket}`],
    ['ticket-person', `/tickets/${seed.personTicket}`],
    ['admin-checks', `/admin/agents/${seed.hqAgent}/checks`],
    ['not-found', '/no-such-page'],
  ];
  await page.goto(`${t.api.baseUrl}/admin`);
  await settle(page);
  const sections = await page.evaluate<string[]>(
    `[...document.querySelectorAll('[data-testid^=admin-nav-]')].map((a) => a.getAttribute('href'))`,
  );
  expect(sections.length).toBeGreaterThan(5);
  return [
    ...fixed,
    ...sections.map((href): [string, string] => [href.slice(1).replace('/', '-'), href]),
  ];
}

describe('every page, phone and desktop, three languages', () => {
  it('fits the screen and speaks the reader’s language, with no ids, code names or ISO times', async () => {
    const problems: string[] = [];
    let walked = 0;
    for (const size of SIZES) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: size.width, height: size.height });
      await signIn(page, `${t.api.baseUrl}/`);
      await useScheme(page, 'light');
      const pages = await pagesOf(page);
      for (const language of LANGUAGES) {
        const started = Date.now();
        await open(page, '/');
        await chooseLanguage(page, language);
        await expect.poll(storedLanguage).toBe(language);
        const check = async (name: string) => {
          const shot = `${size.name}-${language}-${name}.png`;
          await page.screenshot({ path: path.join(shots, shot), fullPage: true });
          const reading = await readPage(page);
          const found = [
            ...(reading.overflowPx > 1 ? [`${reading.overflowPx} px wider than the window`] : []),
            ...reading.outside,
            ...wordProblems(reading.texts, language, seed.data, TECHNICAL),
          ];
          for (const f of found) problems.push(`${shot}: ${f}`);
          walked += 1;
        };
        for (const [name, url] of pages) {
          await open(page, url);
          await check(name);
        }
        // What opens over a page: My settings, and on a phone the menu.
        await open(page, '/');
        await openMySettings(page);
        await page.getByRole('dialog').waitFor();
        await page.waitForTimeout(400);
        await check('my-settings');
        await page.keyboard.press('Escape');
        if (size.name === 'phone') {
          await page.getByTestId('header-menu').click();
          await page.waitForTimeout(400);
          await check('menu');
          await page.keyboard.press('Escape');
          await open(page, '/admin/users');
          await page.getByTestId('admin-sections').click();
          await page.getByRole('dialog').waitFor();
          await page.waitForTimeout(400);
          await check('admin-drawer');
          await page.keyboard.press('Escape');
          // The user dialog, full screen on a phone.
          await page
            .locator('[data-testid=user-row][data-username=sara]')
            .getByTestId('user-edit')
            .click();
          await page.getByRole('dialog').waitFor();
          await page.waitForTimeout(400);
          await check('user-dialog');
          await page.keyboard.press('Escape');
        }
        console.log(`walked ${size.name} ${language} in ${Date.now() - started} ms`);
      }
      await page.close();
    }
    expect(walked).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  }, 1_200_000);

  it('shows a tenant admin every admin section their menu offers, read the same way', async () => {
    const problems: string[] = [];
    let walked = 0;
    for (const size of SIZES) {
      // A profile of its own: the global admin's session stays in the other test's.
      const own = await launchBrowser();
      try {
        const page = await own.context.newPage();
        await page.setViewportSize({ width: size.width, height: size.height });
        await signIn(page, `${t.api.baseUrl}/admin`, 'tenant-admin', SEED_PASSWORD);
        await useScheme(page, 'light');
        await settle(page);
        const sections = await page.evaluate<string[]>(
          `[...document.querySelectorAll('[data-testid^=admin-nav-]')].map((a) => a.getAttribute('href'))`,
        );
        expect(sections).toContain('/admin/users');
        for (const language of LANGUAGES) {
          await chooseLanguage(page, language);
          for (const href of sections) {
            await open(page, href);
            const shot = `tenant-admin-${size.name}-${language}-${href.slice(1).replace('/', '-')}.png`;
            await page.screenshot({ path: path.join(shots, shot), fullPage: true });
            const reading = await readPage(page);
            const found = [
              ...(reading.overflowPx > 1 ? [`${reading.overflowPx} px wider than the window`] : []),
              ...reading.outside,
              ...wordProblems(reading.texts, language, seed.data, TECHNICAL),
            ];
            for (const f of found) problems.push(`${shot}: ${f}`);
            walked += 1;
          }
        }
      } finally {
        await own.close();
      }
    }
    expect(walked).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  }, 1_200_000);
});
