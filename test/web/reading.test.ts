import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  screenshotDir,
  signIn,
  useScheme,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';
import { seedWalk, type WalkSeed } from './walk-seed.js';

/**
 * Small things a person reads, each seen wrong once, at a phone's size and a desktop's, in
 * English, Persian and French: an address in the overview on one line (ellipsis, whole on
 * hover); a day's working hours on one line; ticket numbers and hours in the language's
 * digits; counts in the language's plural ("1 node"); the user dialog without a blank gap;
 * and a chosen language that survives a reload before the hub has stored it.
 */

const shots = path.join(screenshotDir, 'reading');
const PERSIAN_DIGITS = /^[۰-۹]+$/;

let t: TestHub;
let seed: WalkSeed;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub({ BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' });
  seed = await seedWalk(t);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const client of seed?.clients ?? []) client.end(true);
  await browser?.close();
  await t?.stop();
});

/** Goes to `url` inside the app, as its links do. */
async function open(page: Page, url: string) {
  await page.evaluate(`(() => {
    history.pushState(null, '', ${JSON.stringify(url)});
    dispatchEvent(new PopStateEvent('popstate'));
    scrollTo(0, 0);
  })()`);
}

/** How many lines an element's text takes (its height over its line height). */
const linesOf = (page: Page, selector: string) =>
  page.evaluate<number[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => {
    const style = getComputedStyle(e);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.55;
    return Math.round(e.getBoundingClientRect().height / line);
  })`);

const storedLanguage = async () =>
  (await t.api.get<{ preferences: { language?: string } }>('/api/v1/notify/preferences'))
    .preferences.language;

describe('what a person reads', () => {
  it('keeps addresses and hours on one line, in the reader’s digits and plurals', async () => {
    for (const size of SIZES) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: size.width, height: size.height });
      await signIn(page, `${t.api.baseUrl}/`);
      await useScheme(page, 'light');
      for (const language of LANGUAGES) {
        const shot = (name: string) =>
          page.screenshot({
            path: path.join(shots, `${size.name}-${language}-${name}.png`),
            fullPage: true,
          });
        await open(page, '/');
        await chooseLanguage(page, language);
        await expect.poll(storedLanguage).toBe(language);

        // The overview: every target on one line, the whole value in its title.
        await page.getByTestId('check-target').first().waitFor();
        const targets = page.getByTestId('check-target');
        expect(await targets.count()).toBeGreaterThan(2);
        expect(new Set(await linesOf(page, '[data-testid=check-target]'))).toEqual(new Set([1]));
        for (const target of await targets.all())
          expect(await target.getAttribute('title')).toBe(await target.textContent());
        // Beside the tickets at 1440 px, each agent's table fits its column: no sideways scroll.
        if (size.name === 'desktop')
          for (const agent of await page.getByTestId('agent').all())
            expect(
              await agent.evaluate(
                (el) => el.querySelector('table')!.getBoundingClientRect().width - el.clientWidth,
              ),
            ).toBeLessThanOrEqual(1);
        await shot('overview');

        // The map's caption counts in the language's plural.
        await open(page, `/map?branch=${seed.hqBranch}`);
        const hint = (await page.getByTestId('map-hint').textContent()) ?? '';
        if (language === 'en') expect(hint).toMatch(/\b(1 node|([02-9]|\d\d+) nodes)$/);
        if (language === 'fr') expect(hint).toMatch(/\b([01] nœud|([2-9]|\d\d+) nœuds)$/);
        if (language === 'fa') expect(hint).toMatch(/[۰-۹]+ گره$/);
        await shot('map-branch');

        // The queue and a ticket: numbers in the language's digits.
        await open(page, '/tickets');
        await page.getByTestId('queue-row').first().waitFor();
        const numbers = await page.evaluate<string[]>(
          `[...document.querySelectorAll('[data-testid=queue-row]')].map((row) =>
            row.querySelector('.mantine-Text-root')?.textContent ?? '')`,
        );
        expect(numbers.length).toBeGreaterThan(1);
        for (const n of numbers) expect(n).toMatch(language === 'fa' ? PERSIAN_DIGITS : /^[0-9]+$/);
        await shot('queue');
        await open(page, `/tickets/${seed.personTicket}`);
        const heading = page.getByTestId('ticket-number');
        await heading.waitFor();
        expect((await heading.textContent())!.replace(/#|N° |[\u2068\u2069]/g, '')).toMatch(
          language === 'fa' ? PERSIAN_DIGITS : /^[0-9]+$/,
        );

        // SLA calendars: each day's hours on one line, in the language's digits.
        await open(page, '/admin/sla');
        await page.getByTestId('sla-day').first().waitFor();
        expect(new Set(await linesOf(page, '[data-testid=sla-day]'))).toEqual(new Set([1]));
        const day = (await page.getByTestId('sla-day').first().textContent()) ?? '';
        expect(day).toContain(language === 'fa' ? '۰۸:۰۰–۱۶:۰۰' : '08:00–16:00');
        await shot('admin-sla');

        // The user dialog: nothing but its fields, no blank gap under the branches.
        await open(page, '/admin/users');
        await page
          .locator('[data-testid=user-row][data-username=sara]')
          .getByTestId('user-edit')
          .click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        await page.waitForTimeout(300);
        const gap = await page.evaluate<number>(`(() => {
          const branches = document.querySelector('[data-testid=user-branches]')
            .closest('.mantine-InputWrapper-root');
          const next = branches.nextElementSibling;
          return next.getBoundingClientRect().top - branches.getBoundingClientRect().bottom;
        })()`);
        expect(gap).toBeLessThan(24);
        await page.screenshot({
          path: path.join(shots, `${size.name}-${language}-user-dialog.png`),
        });
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
      }
      await page.close();
    }
  }, 600_000);

  it('keeps the chosen language when the page is reloaded before the hub stored it', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/`);
    await chooseLanguage(page, 'fr');
    await expect.poll(storedLanguage).toBe('fr');

    // The save of the next choice is held back: the page reloads while it is on its way, and
    // it never reaches the hub. Later saves go through.
    let heldRoute: Route | undefined;
    let held: () => void = () => undefined;
    const saveHeld = new Promise<void>((resolve) => (held = resolve));
    await page.route('**/api/v1/notify/preferences', (route) => {
      if (route.request().method() !== 'PUT' || heldRoute) return route.fallback();
      heldRoute = route;
      held();
    });
    await chooseLanguage(page, 'fa');
    await saveHeld;
    expect(await storedLanguage()).toBe('fr');
    await page.reload();
    await page.getByTestId('logout').waitFor();
    await heldRoute!.abort().catch(() => undefined);
    // Still Persian after the hub's answer came, and the choice is stored now.
    await expect.poll(storedLanguage).toBe('fa');
    expect(await page.locator('html').getAttribute('lang')).toBe('fa');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.screenshot({ path: path.join(shots, 'desktop-fa-after-reload.png') });
    await page.close();
  }, 120_000);
});
