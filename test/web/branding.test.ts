import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { pngImage } from '../support/png.js';
import { LANGUAGES, screenshotDir, signInAs, SIZES } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

/**
 * A tenant admin brands the portal (docs/branding.md): Admin → Branding, a colour white text
 * cannot be read on is refused as it is typed, a readable one and a logo are saved; then the
 * tenant's branch staff see the product name, the logo and the accent in their portal.
 */

const WORDS = {
  en: {
    title: 'Branding',
    low: /too faint/,
    ok: /easy to read/,
    logoSaved: /^Logo saved\./,
    saved: /^Saved\./,
  },
  fa: {
    title: 'نشان تجاری',
    low: /بسیار کم‌رنگ/,
    ok: /به‌آسانی خوانا/,
    logoSaved: /^نشان‌واره ذخیره شد\./,
    saved: /^ذخیره شد\./,
  },
  fr: {
    title: 'Image de marque',
    low: /trop pâle/,
    ok: /facile à lire/,
    logoSaved: /^Logo enregistré\./,
    saved: /^Enregistré\./,
  },
} as const;

const PASSWORD = 'branding-walk-pass-1';
const ACCENT = '#0b7285';
// Names and values a person typed, shown as typed in every language (earlier runs' too).
const TYPED = [
  ...LANGUAGES.flatMap((l) => SIZES.map((s) => `Kiosk Care ${l}-${s.name}`)),
  ACCENT,
  'brand-admin',
  'brand-clerk',
  'Kiosk',
];

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  await fs.mkdir(screenshotDir, { recursive: true });
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  const tenantId = items.find((x) => x.slug === 'default')!.id;
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'kiosk',
    name: 'Kiosk',
    tenant: 'default',
  });
  for (const [username, role] of [
    ['brand-admin', 'tenant_admin'],
    ['brand-clerk', 'requester'],
  ] as const)
    await t.api.post('/api/v1/users', {
      username,
      password: PASSWORD,
      role,
      tenantId,
      branchIds: role === 'requester' ? [branch.id] : [],
    });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** The natural width of the image `selector` finds, once loaded (0 before, or broken). */
const imageWidth = (page: Page, selector: string) =>
  page.evaluate<number>(`(() => {
    const img = document.querySelector(${JSON.stringify(selector)});
    return img && img.complete ? img.naturalWidth : 0; })()`);

async function readsWell(page: Page, language: (typeof LANGUAGES)[number], data: string[]) {
  const reading = await readPage(page);
  expect(reading.overflowPx, 'page wider than the window').toBeLessThanOrEqual(0);
  expect(reading.outside).toEqual([]);
  expect(wordProblems(reading.texts, language, data, new Set())).toEqual([]);
}

describe.each(LANGUAGES.flatMap((l) => SIZES.map((s) => [l, s] as const)))(
  'branding in %s at %o',
  (language, size) => {
    const w = WORDS[language];
    const tag = `${language}-${size.name}`;
    const name = `Kiosk Care ${tag}`;

    it('a tenant admin brands the portal; branch staff see it', async () => {
      const page = await browser.context.newPage();
      try {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.goto(`${t.api.baseUrl}/`);
        await page.evaluate(`localStorage.setItem('bw.language', '${language}')`);
        await signInAs(page, `${t.api.baseUrl}/admin/branding`, 'brand-admin', PASSWORD);
        const card = page.getByTestId('branding-card');
        await card.waitFor();
        // The section says its title once, as the other sections do (not again on its card).
        expect(
          await page
            .getByTestId('branding-page')
            .locator('h1, h2, h3, h4, h5, h6')
            .allTextContents(),
        ).toEqual([w.title]);
        await readsWell(page, language, TYPED);
        await page.getByTestId('branding-name').fill(name);
        // Yellow: white text on it cannot be read, and saving waits for a darker colour.
        await page.getByTestId('branding-accent').fill('#ffcc00');
        await expect.poll(() => page.getByTestId('branding-contrast').textContent()).toMatch(w.low);
        expect(await page.getByTestId('branding-save').isDisabled()).toBe(true);
        await page.keyboard.press('Escape'); // the colour picker's dropdown
        await page.getByTestId('branding-contrast').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshotDir, `branding-faint-${tag}.png`) });
        await page.getByTestId('branding-accent').fill(ACCENT);
        await expect.poll(() => page.getByTestId('branding-contrast').textContent()).toMatch(w.ok);
        await page.locator('input[type=file]').setInputFiles({
          name: 'logo.png',
          mimeType: 'image/png',
          buffer: pngImage(96, 32, [[255, 160, 0]]),
        });
        // The card shows the logo it stored (the hub's answer, not the chosen file), and says
        // the logo is saved — not the name typed before it, which waits for Save.
        await expect.poll(() => imageWidth(page, '[data-testid=branding-logo]')).toBe(96);
        await expect
          .poll(() => page.getByTestId('branding-logo-done').textContent())
          .toMatch(w.logoSaved);
        expect(await page.getByTestId('branding-saved').count()).toBe(0);
        // The colour picker's dropdown closes as a person closes it: a click beside it.
        await page.getByTestId('branding-page').getByRole('heading').first().click();
        await page.getByTestId('branding-logo-done').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshotDir, `branding-logo-saved-${tag}.png`) });
        await page.getByTestId('branding-save').click();
        await expect.poll(() => page.getByTestId('branding-saved').textContent()).toMatch(w.saved);
        await page.keyboard.press('Escape');
        await readsWell(page, language, TYPED);
        await page.evaluate('window.scrollTo(0, 0)');
        await page.screenshot({
          path: path.join(screenshotDir, `branding-admin-${tag}.png`),
          fullPage: true,
        });

        await signInAs(page, `${t.api.baseUrl}/portal`, 'brand-clerk', PASSWORD);
        await page.getByTestId('portal-home').waitFor();
        await expect.poll(() => page.getByTestId('portal-product').textContent()).toBe(name);
        // The logo loaded (its own width), and the accent on the portal's own button.
        await expect.poll(() => imageWidth(page, 'header img')).toBe(96);
        await expect
          .poll(() =>
            page.evaluate(`getComputedStyle(
              document.querySelector('[data-testid=portal-report]')).backgroundColor`),
          )
          .toBe('rgb(11, 114, 133)');
        // The first-visit tour's tip is there too: skip it for the screenshot's sake.
        if (await page.getByRole('dialog').count()) await page.keyboard.press('Escape');
        await readsWell(page, language, TYPED);
        await page.screenshot({ path: path.join(screenshotDir, `branding-portal-${tag}.png`) });
      } finally {
        await page.close();
      }
    });
  },
);
