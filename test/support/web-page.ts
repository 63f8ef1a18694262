import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_PASSWORD } from './hub.js';

/** Where browser tests save their screenshots: the CI's artifacts folder, else a temp folder. */
export const screenshotDir = process.env.BW_TEST_ARTIFACTS
  ? path.join(process.env.BW_TEST_ARTIFACTS, 'web')
  : path.join(os.tmpdir(), 'bw-web-screenshots');

/** Opens `url` signed in as the admin, signing in only if the profile has no session yet. */
export async function signIn(page: Page, url: string) {
  await page.goto(url);
  await page.locator('[data-testid=login-username], [data-testid=logout]').first().waitFor();
  if ((await page.getByTestId('login-username').count()) === 0) return;
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

/** Light or dark, whatever an earlier test left in the profile. */
export async function useScheme(page: Page, scheme: 'light' | 'dark') {
  const html = page.locator('html');
  if ((await html.getAttribute('data-mantine-color-scheme')) !== scheme) {
    await page.getByTestId('color-scheme-toggle').click();
  }
  await expect.poll(() => html.getAttribute('data-mantine-color-scheme')).toBe(scheme);
}
