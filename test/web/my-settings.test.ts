import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { ApiClient, waitFor } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  noHorizontalOverflow,
  openMySettings,
  screenshotDir as shots,
  signInAs,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';
import { startTelegramStandin } from '../telegram-standin/standin.js';

/**
 * "My settings" as a person uses it, in Chromium against a real hub, at a phone's size and a
 * desktop's, in English, Persian and French: linking a Telegram account by sending the code
 * the page shows to the bot (a Bot API stand-in on loopback), then unlinking it. Needs a web
 * build (BW_TEST_WEB_DIR or web/dist).
 */

const TOKEN = '424242:SETTINGS-token';
/** The bot's confirmation, in the language the person chose in the page. */
const LINKED = {
  en: 'is now linked to',
  fa: 'اکنون به کاربر',
  fr: 'est maintenant lié à',
} as const;
const WAIT = { timeout: 30_000 };
const PASSWORD = 'settings-password-123';

let t: TestHub;
let bot: Awaited<ReturnType<typeof startTelegramStandin>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenant: { id: string };

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, name), fullPage: false });

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  bot = await startTelegramStandin(TOKEN);
  t = await startTestHub({
    BW_TELEGRAM_BOT_TOKEN: TOKEN,
    BW_TELEGRAM_API_URL: bot.url,
    BW_TELEGRAM_POLL_SECONDS: '1',
  });
  ({ tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'settings',
    name: 'Settings Co',
  }));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await bot?.close();
});

describe('My settings', () => {
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`links a Telegram account by sending the code shown to the bot (${size.name}, ${language})`, async () => {
        const telegramId = 7000 + SIZES.indexOf(size) * 10 + LANGUAGES.indexOf(language);
        // A person of their own for each case: what one case leaves linked is not the next's.
        const username = `settings-${size.name}-${language}`;
        await t.api.post('/api/v1/users', {
          username,
          password: PASSWORD,
          role: 'viewer',
          tenantId: tenant.id,
        });
        const own = new ApiClient(t.api.baseUrl);
        await own.login(username, PASSWORD);
        const page = await browser.context.newPage();
        try {
          await page.setViewportSize({ width: size.width, height: size.height });
          await signInAs(page, `${t.api.baseUrl}/`, username, PASSWORD);
          await chooseLanguage(page, language);
          expect(await page.locator('html').getAttribute('dir')).toBe(
            language === 'fa' ? 'rtl' : 'ltr',
          );
          await noHorizontalOverflow(page);
          await shot(page, `header-${size.name}-${language}.png`);
          await openMySettings(page);
          const field = page.getByTestId('telegram-link');
          await expect
            .poll(() => field.getByTestId('telegram-link-state').getAttribute('data-linked'), WAIT)
            .toBe('false');
          await field.getByTestId('telegram-link-start').click();
          const command =
            (await field.getByTestId('telegram-link-command').textContent(WAIT)) ?? '';
          expect(command).toMatch(/^\/link [0-9A-HJKMNP-TV-Z]{8}$/);
          await field.scrollIntoViewIfNeeded();
          await noHorizontalOverflow(page);
          await shot(page, `settings-telegram-code-${size.name}-${language}.png`);

          // The person sends it from their own Telegram account, then says so in the page. The
          // bot answers in the language the person reads the hub in.
          const before = bot.sent.length;
          bot.inject({ fromId: telegramId, chatId: telegramId, text: command });
          const confirmation = await waitFor('the bot to confirm the link', async () =>
            bot.sent.slice(before).find((m) => String(m.chat_id) === String(telegramId)),
          );
          expect(confirmation.text).toContain(LINKED[language]);
          await field.getByTestId('telegram-link-check').click();
          await expect
            .poll(() => field.getByTestId('telegram-link-state').getAttribute('data-linked'), WAIT)
            .toBe('true');
          const { preferences } = await own.get<{ preferences: { telegramUserId: string } }>(
            '/api/v1/notify/preferences',
          );
          expect(preferences.telegramUserId).toBe(String(telegramId));
          await noHorizontalOverflow(page);
          await shot(page, `settings-telegram-linked-${size.name}-${language}.png`);

          await field.getByTestId('telegram-unlink').click();
          await expect
            .poll(() => field.getByTestId('telegram-link-state').getAttribute('data-linked'), WAIT)
            .toBe('false');
        } finally {
          await page.close();
        }
      });
});
