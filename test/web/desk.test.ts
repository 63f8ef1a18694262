import fs from 'node:fs/promises';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../support/batches.js';
import { launchBrowser } from '../support/browser.js';
import { aroundTheClockPolicy } from '../support/sla.js';
import { screenshotDir as shots, signIn, useScheme } from '../support/web-page.js';
import { waitFor } from '../support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../support/hub.js';

/**
 * The ticket desk in Chromium against a real hub: tickets written through the API and one
 * opened by an alert (failing rounds over MQTT), an SLA policy so clocks run. Filters the
 * queue, works a ticket (reply, internal note, state), follows the alert to its chart, and
 * bulk-assigns. Needs web/dist (`pnpm --filter @branchwatch/web build`).
 */

interface ApiTicket {
  id: string;
  number: number;
  subject: string;
  assigneeId: string | null;
  branchId: string | null;
  checkId: string | null;
}

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let agent: MqttClient;
let me: { id: string; username: string };
let branchId: string;
const tickets: Record<string, ApiTicket> = {};
let alertTicket: ApiTicket;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  me = (await t.api.get<{ user: { id: string; username: string } }>('/api/v1/auth/me')).user;

  // Around the clock, so the SLA clocks run whatever the time of the test.
  await aroundTheClockPolicy(t.api, { firstResponseMs: 3_600_000, resolutionMs: 4 * 3_600_000 });

  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'shiraz',
    name: 'Shiraz',
  });
  branchId = branch.id;
  for (const [key, subject, priority] of [
    ['vpn', 'VPN tunnel down in Shiraz', 'urgent'],
    ['flap', 'Tunnel flapping at night', 'high'],
    ['printer', 'Printer jam on floor 2', 'low'],
    ['password', 'Password reset for the till', 'normal'],
  ] as const) {
    const { ticket } = await t.api.post<{ ticket: ApiTicket }>('/api/v1/tickets', {
      subject,
      body: `${subject}: reported by phone.`,
      priority,
      branchId: branch.id,
    });
    tickets[key] = ticket;
  }

  // An alert: three refused connects in a row make the check failing and open a ticket.
  const created = await t.api.createAgent('kerman', 'srv-ke');
  agent = await connectAgent(t.mqttUrl, created.credentials);
  const address = { tenant: 'default', branch: 'kerman', agent: 'srv-ke' };
  const failing = [0, 1, 2].map((i) =>
    tcpResult('intranet', new Date(Date.now() - (3 - i) * 60_000), false),
  );
  await publish(agent, topics.results(address), JSON.stringify(batch('srv-ke', 1, failing)));
  alertTicket = await waitFor(
    'an alert ticket',
    async () => {
      const page = await t.api.get<{ items: ApiTicket[] }>('/api/v1/tickets?source=alert');
      return page.items[0];
    },
    30_000,
  );

  browser = await launchBrowser();
});

afterAll(async () => {
  agent?.end(true);
  await browser?.close();
  await t?.stop();
});

const rows = (page: Page) => page.getByTestId('queue-row');
const subjects = (page: Page) => page.getByTestId('row-open').allTextContents();

/** Picks `label` in a Mantine Select whose input has `testId`. */
async function choose(page: Page, testId: string, label: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

describe('ticket desk', () => {
  it('filters the queue on the server and keeps the filters in the address', async () => {
    const page = await browser.context.newPage();
    await signIn(page, t.api.baseUrl);
    await useScheme(page, 'light');
    await page.getByTestId('nav-tickets').click();
    expect(new URL(page.url()).pathname).toBe('/tickets');
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(5);

    await page.getByTestId('filter-q').fill('tunnel');
    await page.getByTestId('filter-q').press('Enter');
    await expect
      .poll(async () => (await subjects(page)).sort())
      .toEqual(['Tunnel flapping at night', 'VPN tunnel down in Shiraz']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('tunnel');

    // Sort, order, tag and source sit under "Filters", so the filters take one row.
    await page.getByRole('button', { name: 'Filters', exact: true }).click();
    await choose(page, 'filter-sort', 'priority');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('priority');
    await expect
      .poll(() => subjects(page))
      .toEqual(['VPN tunnel down in Shiraz', 'Tunnel flapping at night']);
    // The branch picker renders only when its own options change; a branch picked after the
    // sort keeps the sort and the search (its handler sees the latest query).
    await choose(page, 'filter-branch', 'Shiraz');
    await expect.poll(() => new URL(page.url()).searchParams.get('branch')).toBe(branchId);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('priority');
    expect(new URL(page.url()).searchParams.get('q')).toBe('tunnel');

    // The address alone reproduces the view: a reload, or an alert-only view.
    await page.goto(`${t.api.baseUrl}/tickets?source=alert`);
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(1);
    expect(await rows(page).first().getAttribute('data-ticket-id')).toBe(alertTicket.id);
    await page.getByTestId('filter-clear').click();
    await expect.poll(() => rows(page).count()).toBe(5);
    const csv = await page.getByTestId('export-csv').getAttribute('href');
    expect(csv).toBe('/api/v1/tickets/export.csv?state=active&sort=opened_at&order=desc');
    await page.screenshot({ path: path.join(shots, 'desk-queue-light.png'), fullPage: true });
    await useScheme(page, 'dark');
    await page.screenshot({ path: path.join(shots, 'desk-queue-dark.png'), fullPage: true });
    await useScheme(page, 'light');
    await page.close();
  });

  it('works a ticket: SLA countdown, public reply, internal note, change of state', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/tickets?q=shiraz`);
    await page.getByTestId('row-open').filter({ hasText: 'VPN tunnel down in Shiraz' }).click();
    await expect
      .poll(() => page.getByTestId('ticket-page').getAttribute('data-ticket-id'), {
        timeout: 20_000,
      })
      .toBe(tickets.vpn!.id);
    expect(new URL(page.url()).pathname).toBe(`/tickets/${tickets.vpn!.id}`);

    // The first-response clock counts down live, from the deadline, without a reload.
    const first = page.locator('[data-testid=sla-clock][data-kind=firstResponse]');
    expect(await first.getAttribute('data-phase')).toBe('running');
    const before = Number(await first.getAttribute('data-remaining'));
    expect(before).toBeGreaterThan(3_500_000);
    expect(before).toBeLessThanOrEqual(3_600_000);
    await expect
      .poll(async () => Number(await first.getAttribute('data-remaining')), { timeout: 10_000 })
      .toBeLessThan(before - 1500);
    expect(await first.getByTestId('sla-countdown').textContent()).toMatch(/^\d+ min \d+ s left$/);

    await page.getByTestId('reply-body').fill('We are on it; the carrier has a ticket open.');
    await page.getByTestId('reply-send').click();
    const message = page.getByTestId('message');
    await expect
      .poll(() =>
        message.filter({ hasText: 'carrier has a ticket' }).getAttribute('data-visibility'),
      )
      .toBe('public');
    // A person's public reply is the first response: that clock stops, met.
    await expect.poll(() => first.getAttribute('data-phase'), { timeout: 20_000 }).toBe('met');

    await page.getByTestId('reply-visibility').getByText('Internal note').click();
    await page.getByTestId('reply-body').fill('Carrier ref 4711, escalate after 2 h.');
    await page.getByTestId('reply-send').click();
    await expect
      .poll(() => message.filter({ hasText: 'Carrier ref 4711' }).getAttribute('data-visibility'))
      .toBe('internal');

    // Waiting on the customer: the state changes and the resolution clock pauses.
    await page.locator('[data-testid=transition][data-state=waiting]').click();
    await expect
      .poll(() => page.getByTestId('ticket-page').getAttribute('data-state'))
      .toBe('waiting');
    const resolution = page.locator('[data-testid=sla-clock][data-kind=resolution]');
    await expect.poll(() => resolution.getAttribute('data-phase')).toBe('paused');
    expect(
      await page
        .locator('[data-testid=transition]')
        .evaluateAll((b) => b.map((e) => e.getAttribute('data-state'))),
    ).toEqual(['open', 'in_progress', 'answered', 'on_hold', 'resolved', 'closed']);
    await expect
      .poll(() => page.locator('[data-testid=history-event][data-kind=change]').count())
      .toBeGreaterThan(0);

    const stored = await t.api.get<{
      ticket: { state: string };
      events: { kind: string; visibility: string; body: string | null }[];
    }>(`/api/v1/tickets/${tickets.vpn!.id}`);
    expect(stored.ticket.state).toBe('waiting');
    expect(
      stored.events.filter((e) => e.kind === 'reply' || e.kind === 'note').map((e) => e.visibility),
    ).toEqual(['public', 'internal']);
    await page.screenshot({ path: path.join(shots, 'desk-ticket-light.png'), fullPage: true });
    await useScheme(page, 'dark');
    await page.screenshot({ path: path.join(shots, 'desk-ticket-dark.png'), fullPage: true });
    await useScheme(page, 'light');
    await page.close();
  });

  it('shows an alert ticket’s measurements and links to the chart of that moment', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/tickets/${alertTicket.id}`);
    const context = page.getByTestId('alert-context');
    await context.waitFor({ timeout: 20_000 });
    await expect.poll(() => context.getByTestId('alert-measurements').textContent()).toMatch(/\S/);
    const link = new URL(
      (await context.getByTestId('alert-chart-link').getAttribute('href'))!,
      t.api.baseUrl,
    );
    expect(link.pathname).toBe(`/branches/${alertTicket.branchId}`);
    expect(link.searchParams.get('check')).toBe(alertTicket.checkId);
    expect(Date.parse(link.searchParams.get('from')!)).toBeLessThan(
      Date.parse(link.searchParams.get('to')!),
    );
    await page.screenshot({
      path: path.join(shots, 'desk-alert-ticket-light.png'),
      fullPage: true,
    });
    await context.getByTestId('alert-chart-link').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/branches/${alertTicket.branchId}`);
    await page.close();
  });

  it('bulk-assigns two tickets and reports each result', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/tickets`);
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(5);
    for (const key of ['printer', 'password'] as const) {
      await page
        .locator(`[data-testid=queue-row][data-ticket-id="${tickets[key]!.id}"]`)
        .getByTestId('row-select')
        .check();
    }
    expect(await page.getByTestId('bulk-count').textContent()).toBe('2 selected');
    await choose(page, 'bulk-assignee', me.username);
    await page.getByTestId('bulk-assign').click();
    const result = page.getByTestId('bulk-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 20_000 }).toBe('2');
    expect(await result.getAttribute('data-failed')).toBe('0');
    for (const key of ['printer', 'password'] as const) {
      await expect
        .poll(() =>
          page
            .locator(`[data-testid=queue-row][data-ticket-id="${tickets[key]!.id}"]`)
            .getAttribute('data-assignee'),
        )
        .toBe(me.id);
      const { ticket } = await t.api.get<{ ticket: ApiTicket }>(
        `/api/v1/tickets/${tickets[key]!.id}`,
      );
      expect(ticket.assigneeId).toBe(me.id);
    }
    expect(
      (await t.api.get<{ ticket: ApiTicket }>(`/api/v1/tickets/${tickets.flap!.id}`)).ticket
        .assigneeId,
    ).toBeNull();
    await page.screenshot({ path: path.join(shots, 'desk-bulk-light.png'), fullPage: true });
    await page.close();
  });
});
