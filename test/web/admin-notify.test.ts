import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { chooseLanguage, screenshotDir as shots, signIn } from '../support/web-page.js';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../support/hub.js';
import { freeLoopbackPort } from '@branchwatch/hub';

/**
 * The notification admin, the user's settings and 2FA in Chromium against a real hub: a webhook
 * subscription made in the page to a receiver on loopback that fails and then recovers, its
 * dead letter resent from the delivery log; the language stored on the hub and taken by a
 * fresh browser after login; 2FA enrolment showing the recovery codes once; SLA escalation
 * levels edited in a dialog. Needs a web build (BW_TEST_WEB_DIR or web/dist).
 */

const SECRET = 'receiver-secret-0123456789';
const WAIT = { timeout: 60_000 };

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: answers 500 while `failing`, then 204; records every request. */
async function startReceiver() {
  const state = { failing: true, received: [] as Received[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.received.push({
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.statusCode = state.failing ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    state,
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it. */
function totp(base32: string, now = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...base32.replace(/=+$/, '').toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

let t: TestHub;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  receiver = await startReceiver();
  t = await startTestHub({
    // The receiver is on loopback, which webhooks may reach only when an admin allows it.
    BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
    BW_NOTIFY_RETRY_BASE_MS: '200',
    BW_NOTIFY_RETRY_MAX_MS: '400',
    BW_NOTIFY_POLL_MS: '100',
    BW_NOTIFY_MAX_ATTEMPTS: '2',
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await receiver?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, name), fullPage: true });

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

describe('notification channels, settings and 2FA in the browser', () => {
  it('subscribes a webhook, shows its dead letter, resends it once the receiver recovers', async () => {
    const { items: tenants } = await t.api.get<{ items: { id: string; slug: string }[] }>(
      '/api/v1/tenants',
    );
    const tenant = tenants.find((x) => x.slug === 'default') ?? tenants[0]!;
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/admin/channels`);
    await page.getByTestId('new-subscription').waitFor();

    // Checked in the page with the hub's rule: nothing is sent, the field says why.
    await page.getByTestId('subscription-address').fill('ftp://example.org/hook');
    await page.getByTestId('subscription-create').click();
    await expect
      .poll(() => page.getByTestId('new-subscription').textContent())
      .toContain('A webhook address must be an http(s) URL.');
    expect(
      (await t.api.get<{ items: unknown[] }>('/api/v1/notify/subscriptions')).items,
    ).toHaveLength(0);

    // A private address is refused by the hub when subscribed, at the field, in words.
    await page.getByTestId('subscription-address').fill('http://10.1.2.3/hook');
    await page.getByTestId('subscription-create').click();
    await expect
      .poll(() => page.getByTestId('new-subscription').textContent())
      .toContain(
        '10.1.2.3 is a loopback, link-local or private address: webhooks do not go there unless the hub’s operator allows it.',
      );
    expect(
      (await t.api.get<{ items: unknown[] }>('/api/v1/notify/subscriptions')).items,
    ).toHaveLength(0);

    await page.getByTestId('subscription-tenant').selectOption(tenant.id);
    await page.getByTestId('subscription-address').fill(receiver.url('/hook'));
    await page.getByTestId('subscription-secret').fill(SECRET);
    await page.getByTestId('subscription-create').click();
    // The secret is shown back this once, as it was given.
    await expect.poll(() => page.getByTestId('webhook-secret-values').textContent()).toBe(SECRET);
    const row = page.getByTestId('subscription-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(receiver.url('/hook'));
    expect(await row.textContent()).not.toContain(SECRET);
    const stored = await t.api.get<{
      items: { tenantId: string; address: string; events: string[]; signed: boolean }[];
    }>('/api/v1/notify/subscriptions');
    expect(stored.items).toEqual([
      expect.objectContaining({
        tenantId: tenant.id,
        address: receiver.url('/hook'),
        events: ['ticket.opened'],
        signed: true,
      }),
    ]);

    // A ticket opens; the receiver answers 500 until the delivery is a dead letter.
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'tabriz',
      name: 'Tabriz',
    });
    const { ticket } = await t.api.post<{ ticket: { id: string; number: number } }>(
      '/api/v1/tickets',
      { subject: 'Router down', body: 'The router reboots.', branchId: branch.id },
    );
    const deadRow = page.locator('[data-testid=delivery-row][data-state=dead]');
    await expect.poll(() => deadRow.count(), WAIT).toBe(1);
    expect(await deadRow.textContent()).toContain('HTTP 500');
    expect(await deadRow.getByTestId('delivery-state').textContent()).toBe('dead letter');
    await expect.poll(() => page.getByTestId('dead-letter-count').textContent(), WAIT).toBe('1');
    expect(await row.getByTestId('channel-dead').textContent()).toBe('1 dead');
    const [dead] = (await t.api.get<{ items: Delivery[] }>('/api/v1/notify/deliveries?status=dead'))
      .items;
    expect(dead).toMatchObject({ status: 'dead', attempts: 2, lastError: 'HTTP 500' });
    expect(receiver.state.received).toHaveLength(2);
    await shot(page, 'admin-channels-dead-letter-light-ltr.png');

    // The receiver recovers; Resend delivers the same event, signed.
    receiver.state.failing = false;
    await deadRow.getByTestId('delivery-resend').click();
    const delivered = page.locator('[data-testid=delivery-row][data-state=delivered]');
    await expect.poll(() => delivered.count(), WAIT).toBe(1);
    await expect.poll(() => page.getByTestId('dead-letters').count(), WAIT).toBe(0);
    expect(receiver.state.received).toHaveLength(3);
    const got = receiver.state.received[2]!;
    const timestamp = String(got.headers['x-branchwatch-timestamp']);
    const expected = `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${got.body}`).digest('hex')}`;
    expect(got.headers['x-branchwatch-signature']).toBe(expected);
    const body = JSON.parse(got.body) as { id: string; event: string; data: { number: number } };
    expect(body).toMatchObject({
      id: dead!.id,
      event: 'ticket.opened',
      data: { number: ticket.number, subject: 'Router down', branch: 'Tabriz' },
    });

    // The filter asks the hub for one status only.
    await page.getByTestId('delivery-filter').getByText('Dead letters').click();
    await expect.poll(() => page.getByTestId('delivery-row').count()).toBe(0);
    await page.getByTestId('delivery-filter').getByText('Delivered').click();
    await expect.poll(() => delivered.count()).toBe(1);
    await shot(page, 'admin-channels-resent-light-ltr.png');
    await page.close();
  });

  it('stores the language on the hub: a fresh browser shows Persian after login', async () => {
    const prefs = () =>
      t.api.get<{ preferences: { language: string; stored: boolean } }>(
        '/api/v1/notify/preferences',
      );
    // Nothing stored yet: the hub says so, and a browser keeps its own choice meanwhile.
    expect((await prefs()).preferences).toMatchObject({ language: 'en', stored: false });
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/`);
    await page.getByTestId('language').selectOption('fa');
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    await expect
      .poll(async () => {
        const { preferences } = await prefs();
        return `${preferences.language}/${preferences.stored}`;
      })
      .toBe('fa/true');
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    await page.close();

    // Another browser: nothing in its storage, so English until the hub says otherwise.
    const fresh = await launchBrowser();
    try {
      const other = await fresh.context.newPage();
      await other.goto(`${t.api.baseUrl}/admin/channels`);
      await other.getByTestId('login-username').waitFor();
      expect(await other.locator('html').getAttribute('lang')).toBe('en');
      await other.getByTestId('login-username').fill('admin');
      await other.getByTestId('login-password').fill(ADMIN_PASSWORD);
      await other.getByTestId('login-submit').click();
      await expect.poll(() => other.locator('html').getAttribute('dir'), WAIT).toBe('rtl');
      expect(await other.locator('html').getAttribute('lang')).toBe('fa');
      expect(await other.getByTestId('nav-map').textContent()).toBe('نقشه');
      await expect
        .poll(() => other.getByTestId('delivery-state').first().textContent())
        .toBe('تحویل شد');
      await shot(other, 'admin-channels-light-rtl.png');

      // 2FA from "My settings": QR code, a code from the secret, then the recovery codes once.
      await other.getByTestId('my-settings').click();
      await other.getByTestId('totp-start').click();
      const secret = (await other.getByTestId('totp-secret').textContent()) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(await other.getByTestId('two-factor').locator('img').getAttribute('src')).toMatch(
        /^data:image\/png;base64,/,
      );
      await other.getByTestId('totp-code').fill(totp(secret));
      await other.getByTestId('totp-confirm').click();
      const codesText = await other.getByTestId('recovery-codes-values').textContent(WAIT);
      const codes = (codesText ?? '').split('\n').filter(Boolean);
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect(await other.getByTestId('recovery-codes').textContent()).toContain(
        'فقط همین یک بار نمایش داده می‌شود',
      );
      expect(await t.api.get('/api/v1/auth/2fa')).toEqual({
        enabled: true,
        recoveryCodesLeft: 10,
      });
      await shot(other, 'settings-two-factor-recovery-codes-light-rtl.png');

      // The codes shown are the hub's: one of them turns 2FA off again.
      const off = await t.api.request('POST', '/api/v1/auth/2fa/disable', {
        recoveryCode: codes[3],
      });
      expect(off.status).toBe(204);
      expect(await t.api.get('/api/v1/auth/2fa')).toEqual({
        enabled: false,
        recoveryCodesLeft: 0,
      });
      await other.close();
    } finally {
      await fresh.close();
    }
  });

  it('edits the escalation levels of an SLA policy', async () => {
    // Back to English for this user, through the settings form this time.
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/admin/sla`);
    await page.getByTestId('my-settings').click();
    await page.getByTestId('pref-language').selectOption('en');
    await page.getByTestId('pref-email').fill('not-an-address');
    await page.getByTestId('pref-save').click();
    await expect
      .poll(() => page.getByTestId('preferences').textContent())
      .toContain('این نشانی ایمیل نیست.');
    await page.getByTestId('pref-email').fill('noc@example.org');
    await page.getByTestId('pref-save').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    const { preferences } = await t.api.get<{
      preferences: { language: string; email: string };
    }>('/api/v1/notify/preferences');
    expect(preferences).toMatchObject({ language: 'en', email: 'noc@example.org' });
    await page.keyboard.press('Escape');

    const { calendar } = await t.api.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
      name: 'Tehran office',
      spec: { zone: 'Asia/Tehran', week: { sat: ['08:00-16:00'] } },
    });
    const { policy } = await t.api.post<{ policy: { id: string } }>('/api/v1/sla/policies', {
      name: 'Standard',
      calendarId: calendar.id,
      resolutionMs: 8 * 3_600_000,
    });
    await page.reload();
    await page.getByTestId('policy-escalations').click();
    const dialog = page.getByTestId('sla-escalations');
    await dialog.getByTestId('sla-level-add').click();
    await dialog.getByTestId('sla-level-add').click();
    const levels = dialog.getByTestId('sla-level');
    await levels.nth(0).getByLabel('Name').fill('Tell the lead');
    await levels.nth(0).getByLabel('Offset from deadline (h)').fill('-0.5');
    await levels.nth(0).getByLabel('First response').uncheck();
    await levels.nth(1).getByLabel('Name').fill('Tell the lead');
    await levels.nth(1).getByLabel('Action').selectOption('reassign');
    // Two levels of one name: refused in the page, as the hub would.
    await dialog.getByTestId('sla-levels-save').click();
    await expect.poll(() => dialog.textContent()).toContain('Another level has this name.');
    await levels.nth(1).getByLabel('Name').fill('Reassign');
    await levels.nth(1).getByLabel('Offset from deadline (h)').fill('2');
    await shot(page, 'admin-sla-escalations-dialog-light-ltr.png');
    await dialog.getByTestId('sla-levels-save').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('policy-row').textContent())
      .toContain('Tell the lead, Reassign');
    const { items } = await t.api.get<{ items: { id: string; escalations: unknown[] }[] }>(
      '/api/v1/sla/policies',
    );
    expect(items.find((p) => p.id === policy.id)?.escalations).toEqual([
      { name: 'Tell the lead', offsetMs: -1_800_000, action: 'notify', clocks: ['resolution'] },
      { name: 'Reassign', offsetMs: 7_200_000, action: 'reassign' },
    ]);
    await shot(page, 'admin-sla-escalations-light-ltr.png');
    await page.close();
  });
  it('sends a test through the real channel and says how it went, in words', async () => {
    const closedPort = await freeLoopbackPort();
    await t.api.post('/api/v1/notify/subscriptions', {
      channel: 'webhook',
      address: `http://127.0.0.1:${closedPort}/nobody`,
      events: ['ticket.resolved'],
    });
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/admin/channels`);
    const row = (address: string) =>
      page.locator('[data-testid=subscription-row]', { hasText: address });
    // The outcome is said above the list, naming the address tested.
    const result = (address: string) =>
      page.getByTestId('subscription-test-result').filter({ hasText: address });
    /** What the outcome says, under its title. */
    const outcome = async (address: string) =>
      (await result(address).count()) === 0
        ? null
        : result(address).locator('.mantine-Alert-message').textContent();

    // The receiver answers: the test message arrived, in the subscription's language, signed.
    receiver.state.failing = false;
    const before = receiver.state.received.length;
    await row(receiver.url('/hook')).getByTestId('subscription-test').click();
    await expect.poll(() => outcome(receiver.url('/hook'))).toBe('Test message delivered.');
    expect(receiver.state.received).toHaveLength(before + 1);
    const got = receiver.state.received.at(-1)!;
    expect(JSON.parse(got.body)).toMatchObject({
      event: 'notify.test',
      subject: 'Branchwatch test message',
    });
    expect(got.headers['x-branchwatch-signature']).toMatch(/^v1=[0-9a-f]{64}$/);

    // The receiver fails: its status, in words.
    receiver.state.failing = true;
    await row(receiver.url('/hook')).getByTestId('subscription-test').click();
    await expect
      .poll(() => outcome(receiver.url('/hook')))
      .toBe('Not delivered: the receiver answered with HTTP status 500.');
    receiver.state.failing = false;

    // Nothing listens on the other one's port.
    const nobody = `http://127.0.0.1:${closedPort}/nobody`;
    await row(nobody).getByTestId('subscription-test').click();
    await expect
      .poll(() => outcome(nobody))
      .toBe('Not delivered: nothing answers at this address (connection refused).');
    await shot(page, 'admin-channels-send-test-desktop-en.png');

    // On a phone, in Persian and French, the same words in the reader's language.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [language, words] of [
      ['fa', 'نرسید: در این نشانی کسی پاسخ نمی‌دهد (اتصال رد شد).'],
      ['fr', 'Non remis : rien ne répond à cette adresse (connexion refusée).'],
    ] as const) {
      await chooseLanguage(page, language);
      await row(nobody).getByTestId('subscription-test').click();
      await expect.poll(() => outcome(nobody)).toBe(words);
      await result(nobody).scrollIntoViewIfNeeded();
      await page.screenshot({
        path: path.join(shots, `admin-channels-send-test-phone-${language}.png`),
      });
    }
    // Tested a fourth time within the minute: refused, and said when the next may go.
    let refusal: string | null = null;
    for (let i = 0; i < 4 && refusal === null; i++) {
      await row(nobody).getByTestId('subscription-test').click();
      await expect.poll(() => outcome(nobody)).not.toBeNull();
      const said = await outcome(nobody);
      if (said?.startsWith('Ce canal')) refusal = said;
    }
    expect(refusal).toMatch(/^Ce canal a été testé 3 fois en 1 min : réessayez dans \d+ s\.$/);
    await page.screenshot({ path: path.join(shots, 'admin-channels-test-limit-phone-fr.png') });
    const { items } = await t.api.get<{ items: { id: string; address: string }[] }>(
      '/api/v1/notify/subscriptions',
    );
    const limited = await t.api.request(
      'POST',
      `/api/v1/notify/subscriptions/${items.find((s) => s.address === nobody)!.id}/test`,
    );
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      error: { code: 'BW_ERR_RATE_LIMITED', details: { limit: 'channel', max: 3 } },
    });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await chooseLanguage(page, 'en');
    await page.close();
  });
});
