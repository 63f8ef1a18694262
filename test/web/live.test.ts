import fs from 'node:fs/promises';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { agentStatusPayload, batch, tcpResult } from '../support/batches.js';
import { launchBrowser } from '../support/browser.js';
import { screenshotDir as shots, signIn } from '../support/web-page.js';
import { ApiClient } from '../support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../support/hub.js';

/**
 * Live pages in Chromium against a real hub: the ticket queue, a ticket's page and a branch's
 * page change when someone else changes things (another person through the API, an agent over
 * MQTT), without a reload. Each test first waits for the page's live stream to be open
 * (`<html data-bw-live="live">`): while it is open these pages do not poll the data asserted on,
 * so what changes came through the hub's Server-Sent Events. Needs a web build (web/dist or
 * BW_TEST_WEB_DIR).
 */

interface ApiTicket {
  id: string;
  number: number;
  subject: string;
}

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
/** Another person, acting through the API while the admin watches in the browser. */
let sara: ApiClient;
let agent: MqttClient;
let agentSeq = 1;
const kerman = { tenant: 'default', branch: 'kerman', agent: 'srv-ke' };
let branchId = '';
let first: ApiTicket;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const tenants = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  await t.api.post('/api/v1/users', {
    username: 'sara',
    password: 'password-123',
    role: 'support_agent',
    tenantId: tenants.items.find((tenant) => tenant.slug === 'default')!.id,
  });
  sara = new ApiClient(t.api.baseUrl);
  await sara.login('sara', 'password-123');
  first = (
    await sara.post<{ ticket: ApiTicket }>('/api/v1/tickets', {
      subject: 'Till printer offline',
      body: 'The till printer in Kerman prints nothing.',
    })
  ).ticket;

  const created = await t.api.createAgent(kerman.branch, kerman.agent);
  branchId = (
    await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/branches')
  ).items.find((b) => b.slug === kerman.branch)!.id;
  agent = await connectAgent(t.mqttUrl, created.credentials);
  // Online: an offline agent would suppress every check behind it on the map.
  await publish(agent, topics.status(kerman), agentStatusPayload(kerman.agent, 'online'));
  // One good round: the check exists and is ok before the page opens.
  await publishRounds([true]);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  agent?.end(true);
  await browser?.close();
  await t?.stop();
});

/** Round times only grow (a round older than the last is late data, which changes no state). */
let roundAt = Date.now() - 5 * 60_000;

async function publishRounds(outcomes: boolean[], check = 'intranet') {
  const results = outcomes.map((ok) => tcpResult(check, new Date((roundAt += 60_000)), ok));
  await publish(
    agent,
    topics.results(kerman),
    JSON.stringify(batch(kerman.agent, agentSeq++, results)),
  );
}

/** The page's one EventSource is open (web/src/live/liveSource.ts sets the attribute). */
async function waitLive(page: Page) {
  await expect
    .poll(() => page.locator('html').getAttribute('data-bw-live'), { timeout: 20_000 })
    .toBe('live');
}

/** Counts the page's GET requests whose path is exactly `pathname`. */
function countGets(page: Page, pathname: string) {
  const counter = { n: 0 };
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === pathname) counter.n += 1;
  });
  return counter;
}

describe('live pages', () => {
  it('shows a ticket another person opens in the open queue, without a reload', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/tickets`);
    const subjects = () => page.getByTestId('row-open').allTextContents();
    await expect.poll(subjects, { timeout: 20_000 }).toEqual(['Till printer offline']);
    await waitLive(page);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    await sara.post('/api/v1/tickets', {
      subject: 'Camera 3 shows black',
      body: 'Since this morning.',
    });
    await expect
      .poll(subjects, { timeout: 20_000 })
      .toEqual(['Camera 3 shows black', 'Till printer offline']);
    expect(navigations).toEqual([]);
    await page.close();
  });

  it("shows another person's reply on the open ticket, and ignores other tickets' changes", async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/tickets/${first.id}`);
    await expect
      .poll(() => page.getByTestId('ticket-page').getAttribute('data-ticket-id'), {
        timeout: 20_000,
      })
      .toBe(first.id);
    await waitLive(page);
    const loads = countGets(page, `/api/v1/tickets/${first.id}`);

    // Another ticket changes first: its event reaches this page and must not reload it.
    await sara.post('/api/v1/tickets', { subject: 'Badge reader stuck', body: 'Door 2.' });
    await sara.post(`/api/v1/tickets/${first.id}/replies`, {
      body: 'Replaced the paper roll; printing again.',
    });
    await expect
      .poll(() => page.getByTestId('message').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('Replaced the paper roll; printing again.'));
    // NOTIFY delivers in commit order: the other ticket's event came first and loaded nothing.
    expect(loads.n).toBe(1);
    await page.screenshot({ path: path.join(shots, 'live-ticket-reply.png'), fullPage: true });
    await page.close();
  });

  it('turns a check failing on the open branch page when its agent reports failures', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/branches/${branchId}`);
    const row = page.getByTestId('branch-check-row');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
    await waitLive(page);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    await publishRounds([false, false, false]);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('failing');
    expect(navigations).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'live-branch-failing.png'), fullPage: true });
    await page.close();
  });

  it('lets an admin make one check the parent of another, and draws the child suppressed', async () => {
    await publishRounds([true], 'router');
    await publishRounds([true], 'camera-1');
    const checks = await t.api.get<{ items: { id: string; key: string }[] }>('/api/v1/checks');
    const idOf = (key: string) => checks.items.find((c) => c.key === key)!.id;
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/branches/${branchId}`);
    const card = page.getByTestId('parent-links');
    await expect
      .poll(() => card.getByTestId('parent-links-none').count(), { timeout: 20_000 })
      .toBe(1);

    await page.getByTestId('parent-pick').click();
    await page.getByRole('option', { name: 'router · 127.0.0.1:9', exact: true }).click();
    await page.getByTestId('children-pick').click();
    // The parent itself is not offered as its own child.
    expect(await page.getByRole('option', { name: 'router · 127.0.0.1:9' }).count()).toBe(0);
    await page.getByRole('option', { name: 'camera-1 · 127.0.0.1:9', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('link-add').click();
    const row = card.getByTestId('parent-link');
    await expect
      .poll(() => row.getAttribute('data-child'), { timeout: 20_000 })
      .toBe(idOf('camera-1'));
    expect(await row.getAttribute('data-parent')).toBe(idOf('router'));
    const stored = await t.api.get<{ items: { parentCheckId: string; childCheckId: string }[] }>(
      '/api/v1/alerts/parents',
    );
    expect(stored.items).toEqual([
      expect.objectContaining({ parentCheckId: idOf('router'), childCheckId: idOf('camera-1') }),
    ]);

    // Both fail: the camera is drawn suppressed behind the router, here and on the map.
    await publishRounds([false, false, false], 'router');
    await publishRounds([false, false, false], 'camera-1');
    await expect.poll(() => row.getAttribute('data-suppressed'), { timeout: 20_000 }).toBe('true');
    await page.screenshot({ path: path.join(shots, 'parent-links.png'), fullPage: true });

    await page.goto(`${t.api.baseUrl}/map?branch=${branchId}`);
    const camera = page.locator(`[data-testid=map-node][data-node-id="check:${idOf('camera-1')}"]`);
    await expect
      .poll(() => camera.getAttribute('data-state'), { timeout: 20_000 })
      .toBe('suppressed');
    const router = page.locator(`[data-testid=map-node][data-node-id="check:${idOf('router')}"]`);
    expect(await router.getAttribute('data-state')).toBe('failing');
    await camera.click();
    expect(await page.getByTestId('map-suppressed-by').textContent()).toBe(
      'down · behind router, which is down',
    );
    await page.screenshot({ path: path.join(shots, 'map-parent-link.png'), fullPage: true });

    await page.goto(`${t.api.baseUrl}/branches/${branchId}`);
    await page.getByTestId('link-remove').click();
    await expect
      .poll(() => card.getByTestId('parent-links-none').count(), { timeout: 20_000 })
      .toBe(1);
    expect((await t.api.get<{ items: unknown[] }>('/api/v1/alerts/parents')).items).toEqual([]);
    await page.close();
  });
});
