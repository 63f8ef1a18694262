import fs from 'node:fs/promises';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { agentStatusPayload, batch, icmpResult } from '../support/batches.js';
import { launchBrowser } from '../support/browser.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  LANGUAGES,
  noHorizontalOverflow,
  screenshotDir,
  signInAs,
  SIZES,
} from '../support/web-page.js';
import { wallScreenUser } from '../support/roles.js';

/**
 * A wall screen's account whose role may only read the inventory (`inventory.read`: branches,
 * agents, checks, series, topology — packages/api/src/identity.ts): it is offered the pages
 * made of the inventory (overview, map, a branch's page) and reads them without the tickets
 * it may not read, and the hub refuses nothing the UI asks for. In real Chromium against a
 * real hub; the pages at both sizes in the three languages (screenshots in inventory-reader/).
 */
const PASSWORD = 'wall-screen-pass-1';
const shots = path.join(screenshotDir, 'inventory-reader');
let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let agent: MqttClient;
let branchId: string;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  const tenantId = items.find((x) => x.slug === 'default')!.id;
  const created = await t.api.createAgent('harbour', 'srv-harbour');
  const { items: branches } = await t.api.get<{ items: { id: string; slug: string }[] }>(
    '/api/v1/branches',
  );
  branchId = branches.find((b) => b.slug === 'harbour')!.id;
  await t.api.request('PATCH', `/api/v1/branches/${branchId}`, { name: 'Harbour Road' });
  agent = await connectAgent(t.mqttUrl, created.credentials);
  const address = { tenant: 'default', branch: 'harbour', agent: 'srv-harbour' };
  await publish(agent, topics.status(address), agentStatusPayload('srv-harbour', 'online'));
  const start = Date.now() - 6 * 60_000;
  const rounds = [0, 1, 2, 3, 4].map((i) =>
    icmpResult('wan-ping', new Date(start + i * 60_000), 0, 24 + i, '203.0.113.9'),
  );
  await publish(agent, topics.results(address), JSON.stringify(batch('srv-harbour', 1, rounds)));
  await wallScreenUser(t.api, tenantId, 'wall', PASSWORD);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  agent?.end(true);
  await browser?.close();
  await t?.stop();
});

/** A page that records every answer of the hub's API that refused or failed. */
async function watchedPage() {
  const page = await browser.context.newPage();
  const refused: string[] = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/') && res.status() >= 400)
      refused.push(`${res.request().method()} ${url.pathname} → ${res.status()}`);
  });
  return { page, refused };
}

/** The first place `text` shows on the page (a map's SVG also holds it in hidden titles). */
const seen = (page: Page, text: string) => page.getByText(text).filter({ visible: true }).first();

async function openInApp(page: Page, url: string) {
  await page.evaluate(`(() => {
    history.pushState(null, '', ${JSON.stringify(url)});
    dispatchEvent(new PopStateEvent('popstate'));
    scrollTo(0, 0);
  })()`);
}

describe('an account that may only read the inventory', () => {
  it('lands on the overview, opens the map and a branch, and is refused nothing', async () => {
    const { page, refused } = await watchedPage();
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signInAs(page, `${t.api.baseUrl}/`, 'wall', PASSWORD);
      refused.length = 0;
      // The overview: the branch, its agent and its check, measured.
      await seen(page, 'Harbour Road').waitFor();
      await seen(page, 'median 2').waitFor();
      // Only the pages made of the inventory are offered.
      const nav = page.getByRole('navigation');
      await expect.poll(() => nav.getByRole('link').allInnerTexts()).toEqual(['Overview', 'Map']);
      await page.getByRole('link', { name: 'Map' }).click();
      await page.getByTestId('map-page').waitFor();
      await seen(page, 'Harbour Road').waitFor();
      await openInApp(page, `/branches/${branchId}`);
      await page.getByTestId('branch-name').getByText('Harbour Road').waitFor();
      await seen(page, 'median 2').waitFor();
      // No button to open a ticket, no tickets' card: this account reads no tickets.
      expect(await page.getByTestId('new-ticket-open').count()).toBe(0);
      expect(await page.getByTestId('branch-tickets').count()).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(refused).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('reads the overview, the map and the branch page at both sizes in three languages', async () => {
    const { page, refused } = await watchedPage();
    try {
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await signInAs(page, `${t.api.baseUrl}/`, 'wall', PASSWORD);
        // Signed out, the login page asks who is signed in and is told nobody (401).
        refused.length = 0;
        for (const language of LANGUAGES) {
          await chooseLanguage(page, language);
          for (const [name, url, shows] of [
            ['overview', '/', 'Harbour Road'],
            ['map', '/map', 'Harbour Road'],
            ['branch', `/branches/${branchId}`, 'Harbour Road'],
          ] as const) {
            await openInApp(page, url);
            await seen(page, shows).waitFor();
            expect(await page.getByRole('alert').count()).toBe(0);
            await noHorizontalOverflow(page);
            await page.screenshot({
              path: path.join(shots, `${size.name}-${language}-${name}.png`),
              fullPage: true,
            });
          }
        }
      }
      expect(refused).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
