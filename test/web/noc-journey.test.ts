import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '@branchwatch/hub';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { runAgent, stop, type Started } from '../support/processes.js';
import {
  chooseLanguage,
  notShownWhole,
  screenshotDir,
  signIn,
  useScheme,
} from '../support/web-page.js';

/**
 * The NOC operator's story, against a real hub and a real agent process: the Head office's
 * link stops answering (the agent's TCP check of a loopback port nothing listens on). The
 * overview and the map turn it red; the operator opens the branch from the map, the chart
 * shows the failed rounds, and the ticket the hub opened by itself is listed there and opens
 * from it. Then the port answers again and the ticket resolves by itself. On a desktop in
 * English, and the failure read once more on a phone in Persian.
 */

const shots = path.join(screenshotDir, 'noc-journey');
const WAIT = { timeout: 60_000 };

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let agent: Started | undefined;
let work: string;
let port: number;
let link: net.Server | undefined;
let branchId: string;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-noc-journey-'));
  t = await startTestHub();
  port = await freeLoopbackPort(); // Nothing listens on it until the link comes back.
  const issued = await t.api.createAgent('hq', 'srv-hq');
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/branches');
  branchId = items.find((b) => b.slug === 'hq')!.id;
  await t.api.request('PATCH', `/api/v1/branches/${branchId}`, { name: 'Head office' });
  agent = runAgent(issued.config, work, [
    { id: 'uplink', type: 'tcp', target: `127.0.0.1:${port}`, intervalSeconds: 1 },
  ]);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  if (agent) await stop(agent);
  await new Promise<void>((resolve) => (link ? link.close(() => resolve()) : resolve()));
  await browser?.close();
  await t?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

/** The colour an element is painted with, as [r, g, b]. */
async function paint(page: Page, selector: string, property: 'backgroundColor' | 'fill') {
  const css = await page.evaluate<string>(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`,
  );
  const rgb = /rgba?\((\d+), (\d+), (\d+)/.exec(css);
  if (!rgb) throw new Error(`${selector}: ${property} is ${css}`);
  return rgb.slice(1, 4).map(Number);
}
const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 110 && b! < 110;

const linkRow = '[data-testid=check-row]:has([data-testid=check-name][title=uplink])';

describe('the NOC operator sees a branch link fail', () => {
  it('finds it red on the overview and the map, reads the chart and the ticket, and sees it recover', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/`);
    await useScheme(page, 'light');
    await chooseLanguage(page, 'en');

    // The overview: the link's row says Down, in red, and for how long.
    const badge = page.locator(`${linkRow} [data-testid=status-badge]`);
    await expect.poll(() => badge.textContent(), WAIT).toBe('Down');
    expect(
      isRed(await paint(page, `${linkRow} [data-testid=status-badge]`, 'backgroundColor')),
    ).toBe(true);
    await expect
      .poll(() => page.locator(`${linkRow} [data-testid=check-lasting]`).textContent())
      .toMatch(/^for \d+ (s|min)/);
    expect(await page.locator(`${linkRow} [data-testid=check-result]`).textContent()).toMatch(
      /refused/i,
    );
    await page.screenshot({ path: path.join(shots, 'desktop-en-overview-down.png') });

    // The map: the branch is red and listed among the problems.
    await page.getByTestId('nav-map').click();
    const branchNode = page.locator(`[data-testid=map-node][data-node-id="branch:${branchId}"]`);
    await expect.poll(() => branchNode.getAttribute('aria-label'), WAIT).toMatch(/^Head office: /);
    const nodeSelector = `[data-testid=map-node][data-node-id="branch:${branchId}"] circle`;
    await expect.poll(async () => isRed(await paint(page, nodeSelector, 'fill')), WAIT).toBe(true);
    expect(await page.getByTestId('map-problem').allTextContents()).toEqual([
      expect.stringContaining('Head office'),
    ]);
    await page.screenshot({ path: path.join(shots, 'desktop-en-map-down.png') });

    // From the map to the branch: the chart counts the failed rounds.
    await branchNode.click();
    await page.getByTestId('map-drill').click();
    await page.getByTestId('map-open-branch').click();
    await expect.poll(() => page.getByTestId('branch-name').textContent()).toBe('Head office');
    const chart = page.getByTestId('latency-chart');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-loss-marks')), WAIT)
      .toBeGreaterThan(2);
    expect(await page.getByTestId('chart-check').inputValue()).toContain('uplink');
    expect(await page.getByTestId('series-summary').textContent()).toMatch(
      /Availability 0 % of \d+ rounds/,
    );

    // The ticket the hub opened is on the branch page, and opens from there.
    const ticketRow = page.getByTestId('branch-tickets').getByTestId('ticket-row');
    await expect.poll(() => ticketRow.count(), WAIT).toBe(1);
    // The check it is about by its name and target, not its type's code name ("tcp").
    expect(await ticketRow.textContent()).toContain(`uplink · 127.0.0.1:${port}`);
    expect(await ticketRow.textContent()).toMatch(/Internet link down at Head office/);
    await page.screenshot({ path: path.join(shots, 'desktop-en-branch-down.png'), fullPage: true });
    await ticketRow.click();
    const view = page.getByTestId('ticket-view');
    await view.waitFor();
    expect(await view.textContent()).toMatch(/Internet link down at Head office/);
    expect(await view.getByTestId('ticket-state').first().textContent()).toBe('open');
    await page.screenshot({ path: path.join(shots, 'desktop-en-ticket-open.png') });

    // On a phone, in Persian, the same failure reads right to left.
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await signIn(phone, `${t.api.baseUrl}/`);
    await chooseLanguage(phone, 'fa');
    await expect
      .poll(() => phone.locator(`${linkRow} [data-testid=status-badge]`).textContent(), WAIT)
      .toBe('قطع');
    // The row and the ticket it opened read whole, their states too: nothing to scroll to.
    await expect.poll(() => phone.getByTestId('ticket-row').count(), WAIT).toBe(1);
    expect(
      await notShownWhole(
        phone,
        [
          linkRow,
          `${linkRow} [data-testid=status-badge]`,
          '[data-testid=ticket-row]',
          '[data-testid=ticket-row] [data-testid=ticket-state]',
        ].join(', '),
      ),
    ).toEqual([]);
    await phone.waitForTimeout(400); // The menu the language was chosen in closes.
    await phone.screenshot({ path: path.join(shots, 'phone-fa-overview-down.png') });
    await chooseLanguage(phone, 'en');
    await phone.close();

    // The link comes back: the port answers, the check recovers, the ticket resolves itself.
    link = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => link!.listen(port, '127.0.0.1', resolve));
    await page.keyboard.press('Escape');
    await expect
      .poll(
        () => page.locator(`[data-testid=branch-check-row]`).first().getAttribute('data-state'),
        WAIT,
      )
      .toBe('ok');
    await page.getByTestId('nav-tickets').click();
    await page.goto(`${t.api.baseUrl}/tickets?state=resolved`);
    const resolved = page.getByTestId('queue-row');
    await expect.poll(() => resolved.count(), WAIT).toBe(1);
    expect(await resolved.textContent()).toMatch(/Internet link down at Head office/);
    await resolved.getByTestId('row-open').click();
    await expect
      .poll(() => page.getByTestId('ticket-header').textContent(), WAIT)
      .toMatch(/resolved/i);
    await page.screenshot({ path: path.join(shots, 'desktop-en-ticket-resolved.png') });
    await page.close();
  }, 300_000);
});
