import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { ApiClient } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  noHorizontalOverflow,
  openMySettings,
  screenshotDir as shots,
  signIn,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';

/**
 * A person changes their own password in "My settings", in Chromium against a real hub, at a
 * phone's size and a desktop's, in English, Persian and French: a wrong current password and a
 * repeat that differs are said in the reader's language; the change signs out the person's
 * other session. Needs a web build (BW_TEST_WEB_DIR or web/dist).
 */

const OLD = 'old-password-123';
const NEW = 'new-password-456';

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenantId: string;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  tenantId = (await t.api.get<{ items: { id: string }[] }>('/api/v1/tenants')).items[0]!.id;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, name) });

describe('changing one’s own password', () => {
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`says what is wrong and changes it (${size.name}, ${language})`, async () => {
        const username = `pw-${size.name}-${language}`;
        await t.api.post('/api/v1/users', { username, password: OLD, role: 'viewer', tenantId });
        const elsewhere = new ApiClient(t.api.baseUrl);
        await elsewhere.login(username, OLD);
        await browser.context.clearCookies();
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: size.width, height: size.height });
        await signIn(page, `${t.api.baseUrl}/`, username, OLD);
        await chooseLanguage(page, language);
        await openMySettings(page);
        const card = page.getByTestId('password-card');
        await card.scrollIntoViewIfNeeded();

        await card.getByTestId('password-current').fill('not-my-password');
        await card.getByTestId('password-new').fill(NEW);
        await card.getByTestId('password-repeat').fill(`${NEW}x`);
        await card.getByTestId('password-save').click();
        const errors = card.locator('.mantine-InputWrapper-error');
        await errors.first().waitFor();
        const mismatch = await errors.allTextContents();
        expect(mismatch).toHaveLength(1);
        await card.getByTestId('password-repeat').fill(NEW);
        await card.getByTestId('password-save').click();
        // The hub's answer: the current password is wrong, said under that field.
        await expect
          .poll(async () => {
            const shown = await errors.allTextContents();
            return shown.length === 1 && shown[0] !== mismatch[0];
          })
          .toBe(true);
        const wrong = await errors.allTextContents();
        expect(wrong).toHaveLength(1);
        if (language === 'en') expect(wrong[0]).toBe('This is not your current password.');
        await noHorizontalOverflow(page);
        await shot(page, `password-wrong-${size.name}-${language}.png`);

        await card.getByTestId('password-current').fill(OLD);
        await card.getByTestId('password-save').click();
        await card.getByTestId('password-changed').waitFor();
        await noHorizontalOverflow(page);
        await shot(page, `password-changed-${size.name}-${language}.png`);

        expect((await elsewhere.request('GET', '/api/v1/auth/me')).status).toBe(401);
        const again = new ApiClient(t.api.baseUrl);
        expect(
          (await again.request('POST', '/api/v1/auth/login', { username, password: NEW })).status,
        ).toBe(200);
        expect(
          (await again.request('POST', '/api/v1/auth/login', { username, password: OLD })).status,
        ).toBe(401);
        await page.close();
      });
});
