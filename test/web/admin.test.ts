import fs from 'node:fs/promises';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { topics } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { chooseLanguage, screenshotDir as shots, signIn, useScheme } from '../support/web-page.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../support/hub.js';

/**
 * The admin pages and the language switch in Chromium, against a real hub: a branch and an
 * agent made through the pages, an install command, a managed check; then Persian (right to
 * left, Jalali dates, Persian digits) and French. Needs web/dist
 * (`pnpm --filter @branchwatch/web build`).
 */

const PERSIAN_DIGIT = /[۰-۹]/;

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const clients: MqttClient[] = [];

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const client of clients) client.end(true);
  await browser?.close();
  await t?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, name), fullPage: true });

describe('admin pages', () => {
  it('creates a branch and an agent, shows the install command, adds a managed check', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/`);
    await page.getByTestId('nav-admin').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin');

    // A branch, through the form.
    await page.getByTestId('branch-slug').fill('isfahan');
    await page.getByTestId('branch-name').fill('Isfahan');
    await page.getByTestId('branch-create').click();
    await page.locator('[data-testid=branch-admin-row][data-slug=isfahan]').waitFor();
    const branches = await t.api.get<{ items: { slug: string; name: string }[] }>(
      '/api/v1/branches',
    );
    expect(branches.items.map((b) => [b.slug, b.name])).toContainEqual(['isfahan', 'Isfahan']);

    // A slug the hub refuses: its message is shown, nothing is created.
    await page.getByTestId('branch-slug').fill('Not A Slug');
    await page.getByTestId('branch-create').click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/slug/i);
    await useScheme(page, 'light');
    await shot(page, 'admin-branches-light-ltr.png');

    // An install command with a one-time token for a new agent.
    await page.getByTestId('admin-nav-agents').click();
    await page.getByTestId('agent-slug').fill('srv-if');
    await page.getByTestId('agent-enroll').click();
    const command = await page.getByTestId('install-command').textContent();
    expect(command).toMatch(
      new RegExp(`^curl -fsSL ${t.api.baseUrl}/install\\.sh \\| sudo sh -s -- --token bwe_\\S+$`),
    );
    // Before anyone runs it: this hub has no agent package, and names an address (127.0.0.1)
    // that no branch server can reach.
    await expect
      .poll(() => page.getByTestId('install-no-package').textContent())
      .toContain('no agent package yet');
    expect(await page.getByTestId('install-loopback').textContent()).toContain(
      'name 127.0.0.1, which a branch server cannot reach',
    );

    // And an agent created with a password, listed with its state.
    await page.getByTestId('agent-slug').fill('srv-if2');
    await page.getByTestId('agent-create').click();
    await page.getByTestId('issued-agent').waitFor();
    const row = page.locator('[data-testid=agent-admin-row][data-slug=srv-if2]');
    await row.waitFor();
    expect(await row.textContent()).toContain('offline');
    await shot(page, 'admin-agents-light-ltr.png');

    // A managed check, with its icmp options.
    await row.getByTestId('agent-checks-link').click();
    await page.getByTestId('check-key').fill('wan-ping');
    await page.getByTestId('check-type').selectOption('icmp');
    await page.getByTestId('check-target').fill('192.0.2.1');
    await page.getByTestId('option-count').fill('10');
    await page.getByTestId('check-save').click();
    const check = page.locator('[data-testid=managed-check-row][data-key=wan-ping]');
    await check.waitFor();
    expect(await check.textContent()).toContain('192.0.2.1');
    const stored = await t.api.get<{
      items: { key: string; options: unknown; managed: boolean }[];
    }>('/api/v1/checks');
    expect(stored.items.find((c) => c.key === 'wan-ping')).toMatchObject({
      managed: true,
      options: { count: 10 },
    });

    // A bad key is refused by the hub and shown at that field.
    await page.getByTestId('check-key').fill('Bad Key!');
    await page.getByTestId('check-target').fill('192.0.2.2');
    await page.getByTestId('check-save').click();
    await expect
      .poll(() => page.getByTestId('check-form').textContent())
      .toMatch(/must be 1-63 of a-z/);
    await useScheme(page, 'dark');
    await shot(page, 'admin-checks-dark-ltr.png');
    await page.close();
  });

  it('places and renames a branch, and deletes one only when nothing needs it', async () => {
    await t.api.createAgent('kish', 'srv-k');
    await t.api.post('/api/v1/branches', { slug: 'popup', name: 'Pop-up store' });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, `${t.api.baseUrl}/admin/branches`);
    const kish = page.locator('[data-testid=branch-admin-row][data-slug=kish]');
    await kish.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit branch kish' });
    await dialog.getByLabel('Name').fill('Kish island');
    await dialog.getByLabel('Address').fill('Sanaei Square, Kish');
    // A pair pasted from a map app fills latitude and longitude.
    await dialog.getByLabel('Latitude').fill('26.5325, 53.98');
    expect(await dialog.getByLabel('Longitude').inputValue()).toBe('53.98');
    await dialog.getByLabel('Time zone').fill('Tehran');
    await page.getByRole('option', { name: /^Asia\/Tehran \(UTC\+03:30\)$/ }).click();
    await dialog.getByLabel('Criticality').click();
    await page.getByRole('option', { name: 'high' }).click();
    await shot(page, 'admin-branch-edit-phone-ltr.png');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => kish.textContent()).toContain('Kish island');
    expect(await kish.textContent()).toContain('26.5325, 53.98');
    expect(await kish.textContent()).toContain('Asia/Tehran');
    expect(await kish.textContent()).toContain('high');
    const { items } = await t.api.get<{ items: Record<string, unknown>[] }>('/api/v1/branches');
    expect(items.find((b) => b.slug === 'kish')).toMatchObject({
      name: 'Kish island',
      address: 'Sanaei Square, Kish',
      latitude: 26.5325,
      longitude: 53.98,
      timeZone: 'Asia/Tehran',
      criticality: 'high',
    });

    // Something that is not a number is refused at its field, before the hub is asked.
    await kish.getByRole('button', { name: 'Edit' }).click();
    const again = page.getByRole('dialog', { name: 'Edit branch Kish island' });
    await again.getByLabel('Latitude').fill('north');
    await again.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => again.getByLabel('Latitude').getAttribute('aria-invalid')).toBe('true');
    expect(await again.getByTestId('form-error').textContent()).toBe(
      'Enter a number, such as 35.6892',
    );
    await again.getByRole('button', { name: 'Cancel' }).click();

    // Kish still has its agent: the hub refuses, and the dialog says what is left.
    await kish.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete branch Kish island?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect
      .poll(() => confirm.getByRole('alert').textContent())
      .toBe(
        'This branch is still needed by 1 agent.\nIts agents still measure it, and this version cannot remove an agent yet: keep the branch while it has one.',
      );
    await shot(page, 'admin-branch-delete-refused-phone-ltr.png');
    expect(await confirm.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    // The pop-up store needs nothing: gone after the confirmation.
    const popup = page.locator('[data-testid=branch-admin-row][data-slug=popup]');
    await popup.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete branch Pop-up store?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    // Deleting a branch takes its rules and windows with it: seconds on a loaded machine.
    await expect.poll(() => popup.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => kish.count()).toBe(1);
    const after = await t.api.get<{ items: { slug: string }[] }>('/api/v1/branches');
    expect(after.items.map((b) => b.slug)).not.toContain('popup');
    await page.close();
  });

  it('switches to Persian (right to left, Jalali dates, Persian digits) and to French', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/admin/agents`);
    await page.getByTestId('language').selectOption('fa');
    const html = page.locator('html');
    await expect.poll(() => html.getAttribute('dir')).toBe('rtl');
    expect(await html.getAttribute('lang')).toBe('fa');
    expect(await page.evaluate('getComputedStyle(document.body).direction')).toBe('rtl');
    expect(await page.getByTestId('nav-map').textContent()).toBe('نقشه');
    expect(await page.getByTestId('nav-admin').textContent()).toBe('مدیریت');

    // The token's expiry, in the Jalali calendar with Persian digits.
    await page.getByTestId('agent-enroll').click();
    const expires = (await page.getByTestId('enrollment-expires').textContent()) ?? '';
    const jalaliYear = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { year: 'numeric' }).format(
      new Date(),
    );
    expect(expires).toMatch(PERSIAN_DIGIT);
    expect(expires).toContain(jalaliYear.replace(/\D*$/, ''));
    expect(expires).not.toMatch(/[0-9]/);
    await useScheme(page, 'light');
    await shot(page, 'admin-agents-light-rtl.png');
    await useScheme(page, 'dark');
    await shot(page, 'admin-agents-dark-rtl.png');

    // The choice survives a reload (stored on the hub, and in localStorage), then French.
    await page.reload();
    await expect.poll(() => html.getAttribute('dir')).toBe('rtl');
    await page.getByTestId('language').selectOption('fr');
    await expect.poll(() => html.getAttribute('dir')).toBe('ltr');
    expect(await html.getAttribute('lang')).toBe('fr');
    expect(await page.getByTestId('nav-map').textContent()).toBe('Carte');
    expect(await page.getByTestId('nav-admin').textContent()).toBe('Administration');
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.getByTestId('nav-map').textContent()).toBe('Map');
    // The choice is stored on the hub too (the user's preferences), and the next page takes it.
    await expect
      .poll(async () => {
        const { preferences } = await t.api.get<{ preferences: { language: string } }>(
          '/api/v1/notify/preferences',
        );
        return preferences.language;
      })
      .toBe('en');
    await page.close();
  });

  it('shows an agent coming online without a reload, from the live event stream', async () => {
    const issued = await t.api.createAgent('yazd', 'srv-yz');
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    clients.push(client);
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/`);
    // The overview listens to /api/v1/events/stream (polling only while it is down).
    await expect.poll(() => page.locator('html').getAttribute('data-bw-live')).toBe('live');
    const agent = page.locator(`[data-testid=agent][data-agent-id="${issued.agent.id}"]`);
    await expect.poll(() => agent.getByTestId('agent-status').textContent()).toBe('offline');

    const address = { tenant: 'default', branch: 'yazd', agent: 'srv-yz' };
    const status = { v: 1, agent: 'srv-yz', state: 'online', at: new Date().toISOString() };
    await publish(client, topics.status(address), JSON.stringify(status));
    await expect
      .poll(() => agent.getByTestId('agent-status').textContent(), { timeout: 20_000 })
      .toBe('online');
    await page.close();
  });

  it('warns of a maintenance window that is wholly in the past', async () => {
    // The form needs a branch to choose; this test makes its own rather than lean on another's.
    await t.api.post('/api/v1/branches', { slug: 'qom', name: 'Qom' });
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/admin/maintenance`);
    await page.getByTestId('maintenance-from').fill('2020-03-01T09:00');
    await page.getByTestId('maintenance-to').fill('2020-03-01T11:00');
    await page.getByTestId('maintenance-past').waitFor();
    const nextYear = new Date().getFullYear() + 1;
    await page.getByTestId('maintenance-to').fill(`${nextYear}-03-01T11:00`);
    await expect.poll(() => page.getByTestId('maintenance-past').count()).toBe(0);
    await page.close();
  });

  it("makes a weekly window on the branch's clock and says it in words in three languages", async () => {
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'tabriz',
      name: 'Tabriz',
    });
    await t.api.request('PATCH', `/api/v1/branches/${branch.id}`, { timeZone: 'Asia/Tehran' });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/admin/maintenance`);
    await chooseLanguage(page, 'en');
    await page.getByTestId('maintenance-branch').selectOption({ label: 'Tabriz' });
    await page.getByTestId('maintenance-repeat').selectOption({ label: 'Every week' });
    // The hours are the branch's, whatever this browser's zone: the form says whose.
    expect(await page.getByText("On the branch's clock: Iran").first().count()).toBe(1);
    await page.getByLabel('Reason').fill('Weekly backup');
    await page.getByTestId('maintenance-start').fill('22:00');
    await page.getByTestId('maintenance-end').fill('02:00');
    // No weekday chosen yet: the form says so and sends nothing.
    await page.getByRole('button', { name: 'Add window' }).click();
    await page.getByText('Choose at least one day of the week.').first().waitFor();
    await page.getByTestId('maintenance-weekdays').getByText('Fri', { exact: true }).click();
    await expect
      .poll(() => page.getByTestId('maintenance-preview').textContent())
      .toMatch(/^Every Friday 22:00–02:00, Iran/);
    await page.getByRole('button', { name: 'Add window' }).click();
    const row = page.getByTestId('maintenance-row').filter({ hasText: 'Weekly backup' });
    await expect
      .poll(() => row.getByTestId('maintenance-when').textContent())
      .toMatch(/^Every Friday 22:00–02:00, Iran.*from /);
    const { items } = await t.api.get<{ items: { reason: string; recurrence: unknown }[] }>(
      '/api/v1/alerts/maintenance',
    );
    expect(items.find((w) => w.reason === 'Weekly backup')?.recurrence).toMatchObject({
      rule: 'FREQ=WEEKLY;BYDAY=FR',
      start: '22:00',
      end: '02:00',
      until: null,
    });

    // A last day in the past: the whole window is, and the form warns.
    await page.getByTestId('maintenance-first-day').fill('2020-01-03');
    await page.getByTestId('maintenance-last-day').fill('2020-02-28');
    await page.getByTestId('maintenance-past').waitFor();
    await page.getByTestId('maintenance-last-day').fill('');
    await expect.poll(() => page.getByTestId('maintenance-past').count()).toBe(0);

    // Persian isolates filled-in words (U+2067/U+2068 … U+2069); a reader sees none of them.
    const when = async () =>
      (await row.getByTestId('maintenance-when').textContent())?.replace(
        /[\u2067\u2068\u2069]/g,
        '',
      );
    await chooseLanguage(page, 'fa');
    await expect.poll(when).toMatch(/^هر جمعه ۲۲:۰۰–۰۲:۰۰، وقت .*ایران/);
    // The first day in the Jalali calendar.
    expect(await when()).toMatch(/از [۰-۹]+ \S+ ۱۴[۰-۹]{2}/);
    await shot(page, 'admin-maintenance-fa.png');
    await chooseLanguage(page, 'fr');
    await expect.poll(when).toMatch(/^Chaque vendredi 22:00–02:00, heure .*Iran.*à partir du /);
    await chooseLanguage(page, 'en');
    await page.close();
  });
});
