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
  screenshotDir,
  signIn,
  useScheme,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';

/**
 * A tenant's admin sets the password policy and ends a person's session in Admin → Users, in
 * Chromium against a real hub, at a phone's size and a desktop's, in English, Persian and
 * French: the policy is saved, a common password for a new person is refused in the reader's
 * language, and the ended session no longer works.
 */

const TINA = 'tina-admin-password';
const PERSON = 'person-password-123';
const REFUSAL = {
  en: 'This password is on the list of common passwords',
  fa: 'این گذرواژه در فهرست گذرواژه‌های رایج',
  fr: 'Ce mot de passe figure dans la liste des mots de passe courants',
};

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenantId: string;
const shots = path.join(screenshotDir, 'password-policy');

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  await t.api.post('/api/v1/users', {
    username: 'tina',
    password: TINA,
    role: 'tenant_admin',
    tenantId,
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

describe("a tenant's admin and the password policy", () => {
  let round = 0;
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`sets it, sees it refuse a common password and ends a session (${size.name}, ${language})`, async () => {
        round += 1;
        const minLength = 9 + round;
        const person = `person-${size.name}-${language}`;
        await t.api.post('/api/v1/users', {
          username: person,
          password: PERSON,
          role: 'viewer',
          tenantId,
        });
        const phone = new ApiClient(t.api.baseUrl);
        await phone.login(person, PERSON);

        await browser.context.clearCookies();
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: size.width, height: size.height });
        await signIn(page, `${t.api.baseUrl}/admin/users`, 'tina', TINA);
        await useScheme(page, 'light');
        await chooseLanguage(page, language);

        const card = page.getByTestId('password-policy');
        await card.scrollIntoViewIfNeeded();
        await card.getByTestId('policy-min-length').fill(String(minLength));
        await card.getByTestId('policy-admin-sessions').fill('3');
        await card.getByTestId('policy-save').click();
        await card.getByTestId('policy-saved').waitFor();
        const { policy } = await t.api.get<{ policy: Record<string, unknown> }>(
          `/api/v1/password-policy?tenantId=${tenantId}`,
        );
        expect(policy).toMatchObject({ minLength, adminMaxSessions: 3, refuseCommon: true });
        await noHorizontalOverflow(page);
        await card.screenshot({ path: path.join(shots, `policy-${size.name}-${language}.png`) });

        // A new person with a common password: refused at the field, in the reader's language.
        await page.getByTestId('user-username').fill(`common-${size.name}-${language}`);
        await page.getByTestId('user-password').fill('1qaz2wsx3edc4rfv');
        await page.getByTestId('user-create').click();
        const refusal = page.getByTestId('new-user').locator('.mantine-InputWrapper-error');
        await expect.poll(() => refusal.first().textContent()).toContain(REFUSAL[language]);
        await noHorizontalOverflow(page);
        await shot(page, `refused-${size.name}-${language}`);

        // The person's session, ended from the edit dialog.
        const row = page.locator(`[data-testid=user-row][data-username=${person}]`);
        await row.getByTestId('user-edit').click();
        const dialog = page.getByTestId('user-dialog');
        const sessions = dialog.getByTestId('user-session');
        await expect.poll(() => sessions.count()).toBe(1);
        await noHorizontalOverflow(page);
        await shot(page, `sessions-${size.name}-${language}`);
        await sessions.first().getByTestId('user-session-end').click();
        await dialog.getByTestId('user-sessions-none').waitFor();
        expect((await phone.request('GET', '/api/v1/auth/me')).status).toBe(401);
        await page.close();
      });
});
