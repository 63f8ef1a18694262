import type { Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { ADMIN_PASSWORD } from './hub.js';

/**
 * Where browser tests save their screenshots: the run's folder (screenshots.global.ts:
 * `$BW_TEST_ARTIFACTS/web`, else a temp folder of the run's own, printed at its start).
 */
export const screenshotDir = inject('screenshotDir');

/** The two screens every page is walked at: a phone's and a desktop's. */
export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

/** The three languages every page is walked in (Persian right to left). */
export const LANGUAGES = ['en', 'fa', 'fr'] as const;

/** Opens `url` signed in as the admin, signing in only if the profile has no session yet. */
export async function signIn(
  page: Page,
  url: string,
  username = 'admin',
  password = ADMIN_PASSWORD,
) {
  await page.goto(url);
  // On a phone, logging out is in the header's menu (web/src/layout/PhoneMenu.tsx).
  const signedIn = '[data-testid=logout]:visible, [data-testid=header-menu]:visible';
  await page.locator(`[data-testid=login-username], ${signedIn}`).first().waitFor();
  if ((await page.getByTestId('login-username').count()) === 0) return;
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator(signedIn).first().waitFor();
}

/**
 * Opens `url` signed in as `username`: whoever was signed in on this browser signs out first
 * (the header's button, or the phone menu's item).
 */
export async function signInAs(page: Page, url: string, username: string, password: string) {
  const wait = { timeout: 30_000 };
  await page.goto(url);
  const signedIn = '[data-testid=logout]:visible, [data-testid=header-menu]:visible';
  await page.locator(`[data-testid=login-username], ${signedIn}`).first().waitFor(wait);
  if ((await page.getByTestId('login-username').count()) === 0) {
    if (await isPhone(page)) {
      await page.getByTestId('header-menu').click();
      await page.getByTestId('menu-logout').click();
    } else await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor(wait);
  }
  await signIn(page, url, username, password);
}

/** Whether the page shows the phone layout (the header's menu instead of its buttons). */
export const isPhone = async (page: Page) => (page.viewportSize()?.width ?? 1280) < 992;

/** Picks the language as a person would: the header's select, or the phone menu. */
export async function chooseLanguage(page: Page, language: 'en' | 'fa' | 'fr') {
  if (await isPhone(page)) {
    await page.getByTestId('header-menu').click();
    const item = page.getByTestId(`menu-language-${language}`);
    if (await item.isDisabled()) {
      // Already this language: close the menu. An Escape pressed while the menu is still
      // opening can miss it (seen in a fresh container), so, as a person would, press again.
      const menu = page.locator('[role=menu]');
      await expect
        .poll(async () => {
          if (await menu.isVisible()) await page.keyboard.press('Escape');
          return menu.isVisible();
        })
        .toBe(false);
    } else await item.click();
  } else await page.getByTestId('language').selectOption(language);
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
}

/** Opens "My settings": the header's button, or the phone menu's item. */
export async function openMySettings(page: Page) {
  if (await isPhone(page)) {
    await page.getByTestId('header-menu').click();
    await page.getByTestId('menu-my-settings').click();
  } else await page.getByTestId('my-settings').click();
}

/** Light or dark, whatever an earlier test left in the profile. */
export async function useScheme(page: Page, scheme: 'light' | 'dark') {
  const html = page.locator('html');
  if ((await html.getAttribute('data-mantine-color-scheme')) !== scheme) {
    await page.getByTestId('color-scheme-toggle').click();
  }
  await expect.poll(() => html.getAttribute('data-mantine-color-scheme')).toBe(scheme);
}

/** The page does not scroll sideways (evaluated as a string: the tests' types have no DOM). */
export async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

/**
 * What of each element `selector` finds a person cannot see without scrolling sideways: a
 * part outside the window, a part cut by a box that clips it, or a box around it that scrolls
 * sideways (a table wider than its card). Empty when each shows whole.
 */
export async function notShownWhole(page: Page, selector: string): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const width = document.documentElement.clientWidth;
    const problems = [];
    for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
      const name = el.getAttribute('data-testid') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.right > width + 1)
        problems.push(name + ' outside the window at ' + Math.round(r.left) + '..' + Math.round(r.right));
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX === 'visible') continue;
        const box = p.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1)
          problems.push(name + ' cut by a box at ' + Math.round(box.left) + '..' + Math.round(box.right));
        if (p.scrollWidth > p.clientWidth + 1)
          problems.push(name + ' in a box that scrolls sideways by ' + (p.scrollWidth - p.clientWidth) + ' px');
      }
    }
    return problems;
  })()`);
}
