import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService } from '../../hub/src/notify/test-support/push-service.js';
import { launchBrowser } from '../support/browser.js';
import { ApiClient, waitFor } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { LANGUAGES, screenshotDir, SIZES } from '../support/web-page.js';
import { readPage, wordProblems } from './page-reading.js';

/**
 * Branch staff turn on notifications on their phone, and the desk's answer reaches the phone in
 * their language; its address opens the ticket. The hub's message goes to a push service on
 * loopback that decrypts it (RFC 8291) as the browser's push service and the browser would;
 * what it decrypted is handed to the portal's real service worker in Chromium (DevTools'
 * `ServiceWorker.deliverPushMessage`), which shows it. Chromium's own push service is never
 * asked for a subscription: it is on the internet, which tests do not reach.
 */

const PASSWORD = 'push-staff-pass-1';
const SUBJECT = 'The receipt printer is silent';
const ANSWER = 'A new cable is on its way.';

const WORDS = {
  en: { title: 'Notifications on this device', turnOn: 'Turn on', replied: 'New reply' },
  fa: { title: 'اعلان روی این دستگاه', turnOn: 'روشن کردن', replied: 'پاسخ جدید' },
  fr: { title: 'Notifications sur cet appareil', turnOn: 'Activer', replied: 'Nouvelle réponse' },
} as const;
type Language = keyof typeof WORDS;

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let service: Awaited<ReturnType<typeof startPushService>>;
let branchId: string;
let tenantId: string;

beforeAll(async () => {
  await fs.mkdir(screenshotDir, { recursive: true });
  service = await startPushService();
  // The push service is on loopback, which the hub reaches only when an admin allows it.
  t = await startTestHub({ BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1', BW_NOTIFY_POLL_MS: '100' });
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'bazaar',
    name: 'Bazaar',
    tenant: 'default',
  });
  branchId = branch.id;
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  browser = await launchBrowser();
  await browser.context.grantPermissions(['notifications'], { origin: t.api.baseUrl });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await service?.close();
});

async function staff(username: string, language: Language) {
  await t.api.post('/api/v1/users', {
    username,
    password: PASSWORD,
    role: 'requester',
    tenantId,
    branchIds: [branchId],
  });
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  await api.request('PUT', '/api/v1/notify/preferences', { language });
  return api;
}

async function signIn(page: Page, username: string, language: Language) {
  await page.goto(`${t.api.baseUrl}/`);
  await page.evaluate(`localStorage.setItem('bw.language', '${language}')`);
  await page.reload();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('portal-home').waitFor();
}

async function readsWell(page: Page, language: Language, names: string[]) {
  const reading = await readPage(page);
  expect(reading.overflowPx, 'page wider than the window').toBeLessThanOrEqual(0);
  expect(reading.outside).toEqual([]);
  expect(wordProblems(reading.texts, language, names, new Set())).toEqual([]);
}

/** The portal's service worker registration, as DevTools names it. */
async function workerRegistration(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const found = new Promise<string>((resolve) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(t.api.baseUrl));
      if (mine) resolve(mine.registrationId);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  return { cdp, registrationId: await found };
}

describe.each(SIZES.flatMap((size) => LANGUAGES.map((language) => [language, size] as const)))(
  'branch staff and notifications on their device in %s at %o',
  (language, size) => {
    const w = WORDS[language];
    const tag = `${language}-${size.width}`;

    it('read how to turn them on, and get the desk’s answer on the device', async () => {
      const username = `push-${language}-${size.width}`;
      const api = await staff(username, language);
      await browser.context.clearCookies();
      const page = await browser.context.newPage();
      try {
        await page.setViewportSize({ width: size.width, height: size.height });
        await signIn(page, username, language);
        await expect
          .poll(() => page.evaluate('navigator.serviceWorker.controller !== null'), {
            timeout: 20_000,
          })
          .toBe(true);
        await page.goto(`${t.api.baseUrl}/portal/profile`);
        const card = page.getByTestId('portal-push');
        await card.getByText(w.title, { exact: true }).waitFor();
        await card.getByRole('button', { name: w.turnOn }).waitFor();
        await card.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshotDir, `journey-portal-push-${tag}.png`) });
        await readsWell(page, language, [username, 'Bazaar']);

        // The device's subscription (its push service here on loopback) and the desk's answer.
        await api.request('PUT', '/api/v1/notify/push/subscriptions', service.subscribe(username));
        await api.request('PUT', '/api/v1/notify/preferences', { language, channels: ['push'] });
        const { ticket } = await api.post<{ ticket: { id: string; number: number } }>(
          '/api/v1/portal/tickets',
          { subject: SUBJECT, body: 'Nothing prints.', branchId },
        );
        await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: ANSWER });
        const push = await waitFor('the push message', async () =>
          service.delivered.find((d) => d.token === username),
        );

        // The browser receives it: the portal's worker shows it in the person's language.
        const { cdp, registrationId } = await workerRegistration(page);
        await cdp.send('ServiceWorker.deliverPushMessage', {
          origin: t.api.baseUrl,
          registrationId,
          data: push.plaintext,
        });
        const shown = await waitFor('the notification', async () => {
          const list = await page.evaluate(`navigator.serviceWorker.ready
          .then((r) => r.getNotifications())
          .then((ns) => ns.map((n) => ({ title: n.title, body: n.body, dir: n.dir, data: n.data })))`);
          // The browser keeps earlier ones (other people's runs in this profile): this ticket's.
          return (
            list as { title: string; body: string; dir: string; data: { url: string } }[]
          ).find((n) => n.data.url === `/tickets/${ticket.id}`);
        });
        expect(shown.title).toBe(
          `[#${ticket.number}] ${w.replied}${language === 'fr' ? ' :' : ':'} ${SUBJECT}`,
        );
        expect(shown.body).toContain(ANSWER);
        expect(shown.dir).toBe(language === 'fa' ? 'rtl' : 'ltr');

        // Its address opens the ticket in the portal.
        await page.goto(`${t.api.baseUrl}${shown.data.url}`);
        await page.getByTestId('portal-ticket-page').getByText(ANSWER).waitFor();
        expect(new URL(page.url()).pathname).toBe(`/portal/tickets/${ticket.id}`);
      } finally {
        await page.close();
      }
    }, 90_000);
  },
);
