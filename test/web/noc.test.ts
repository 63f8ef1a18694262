import fs from 'node:fs/promises';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch, tcpResult } from '../support/batches.js';
import { launchBrowser } from '../support/browser.js';
import { screenshotDir as shots, signIn, useScheme } from '../support/web-page.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../support/hub.js';

/**
 * The NOC map and the branch page in Chromium, against a real hub fed over MQTT: three
 * branches (ok, failing, no agent), one with LLDP inventory and SmokePing-style ICMP rounds.
 * Needs web/dist (`pnpm --filter @branchwatch/web build`; the root `pnpm test` builds it).
 */

const ROUNDS = 30;
const LOSSY_ROUNDS = 3; // rounds i % 10 === 4 lose 2 of 10 pings

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const clients: MqttClient[] = [];
const ids = { hq: '', shiraz: '', tabriz: '', wanCheck: '', routerCheck: '' };
let shirazAgent: MqttClient;
let shirazSeq = 1;
/** When the first round ran. */
let start = 0;
const hq = { tenant: 'default', branch: 'hq', agent: 'srv-hq' };
const shiraz = { tenant: 'default', branch: 'shiraz', agent: 'srv-sh' };

function icmpRound(check: string, target: string, at: Date, i: number): ProbeResult {
  const base = 20 + (i % 5);
  const lossy = i % 10 === 4;
  const samples = Array.from({ length: 10 }, (_, k) => (lossy && k >= 8 ? null : base + k * 0.8));
  const replies = samples.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const median = (replies[4]! + replies[5]!) / 2;
  return {
    check,
    type: 'icmp',
    target,
    at: at.toISOString(),
    status: 'ok',
    fields: {
      sent: 10,
      received: replies.length,
      loss: lossy ? 20 : 0,
      min: replies[0]!,
      median,
      p95: replies.at(-1)!,
      max: replies.at(-1)!,
      jitter: 0.8,
    },
    samples,
  };
}

/**
 * Counts the latency chart's canvas pixels by colour (uPlot draws on a canvas). Runs in the
 * page, as text: this package's TypeScript has no DOM types.
 */
function chartColours(page: Page): Promise<{ green: number; lossy: number; smoke: number }> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid=latency-chart] canvas');
    const ctx = canvas && canvas.getContext('2d');
    if (!ctx) return { green: 0, lossy: 0, smoke: 0 };
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const near = (i, rgb) => rgb.every((c, k) => Math.abs(data[i + k] - c) < 24);
    let green = 0, lossy = 0, smoke = 0;
    for (let i = 0; i < data.length; i += 4) {
      // The smoke is the only translucent fill; the median and the loss marks are opaque.
      if (data[i + 3] < 200) {
        if (data[i + 3] > 20) smoke += 1;
      } else if (near(i, [0x26, 0xff, 0x00])) green += 1;
      else if (near(i, [0x7e, 0x00, 0xff])) lossy += 1;
    }
    return { green, lossy, smoke };
  })()`);
}

async function agentOnline(
  client: MqttClient,
  address: { tenant: string; branch: string; agent: string },
) {
  const status = { v: 1, agent: address.agent, state: 'online', at: new Date().toISOString() };
  await publish(client, topics.status(address), JSON.stringify(status));
}

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const hqAgent = await t.api.createAgent('hq', 'srv-hq');
  const shAgent = await t.api.createAgent('shiraz', 'srv-sh');
  await t.api.post('/api/v1/branches', { slug: 'tabriz', name: 'Tabriz' });
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/branches');
  for (const b of items) ids[b.slug as 'hq' | 'shiraz' | 'tabriz'] = b.id;

  const hqClient = await connectAgent(t.mqttUrl, hqAgent.credentials);
  shirazAgent = await connectAgent(t.mqttUrl, shAgent.credentials);
  clients.push(hqClient, shirazAgent);
  await agentOnline(hqClient, hq);
  await agentOnline(shirazAgent, shiraz);

  // Half an hour of one round a minute, ending a minute ago.
  start = Date.now() - (ROUNDS + 1) * 60_000;
  const rounds: ProbeResult[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const at = new Date(start + i * 60_000);
    rounds.push(icmpRound('wan-ping', '203.0.113.1', at, i));
    rounds.push(icmpRound('router-ping', '192.0.2.1', new Date(at.getTime() + 1000), i));
  }
  await publish(hqClient, topics.results(hq), JSON.stringify(batch('srv-hq', 1, rounds)));
  await publish(
    hqClient,
    topics.inventory(hq),
    JSON.stringify({
      v: 1,
      agent: 'srv-hq',
      at: new Date().toISOString(),
      devices: [
        { id: 'core-sw', sysName: 'core-sw', sysDescr: 'switch', address: '192.0.2.2' },
        { id: 'router', sysName: 'router', sysDescr: null, address: '192.0.2.1' },
      ],
      links: [
        {
          localDevice: 'core-sw',
          localPort: 'ge-0/0/1',
          remoteChassisId: '00:11:22:33:44:55',
          remoteSysName: 'router',
          remotePort: 'eth0',
        },
      ],
    }),
  );
  await publish(
    hqClient,
    topics.events(hq),
    JSON.stringify({
      v: 1,
      agent: 'srv-hq',
      events: [
        {
          kind: 'snmp-trap',
          at: new Date().toISOString(),
          source: '192.0.2.2',
          trapOid: '1.3.6.1.6.3.1.1.5.3',
          version: '2c',
          varbinds: [],
        },
      ],
    }),
  );
  // Three refused connects in a row: the default BW_ALERT_FAIL_ROUNDS makes it failing.
  const failing = [0, 1, 2].map((i) =>
    tcpResult('intranet', new Date(Date.now() - (3 - i) * 60_000), false),
  );
  await publish(
    shirazAgent,
    topics.results(shiraz),
    JSON.stringify(batch('srv-sh', shirazSeq++, failing)),
  );

  const checks = await t.api.get<{ items: { id: string; key: string; state: string }[] }>(
    '/api/v1/checks',
  );
  ids.wanCheck = checks.items.find((c) => c.key === 'wan-ping')!.id;
  ids.routerCheck = checks.items.find((c) => c.key === 'router-ping')!.id;
  expect(checks.items.find((c) => c.key === 'intranet')?.state).toBe('failing');

  browser = await launchBrowser();
});

afterAll(async () => {
  for (const client of clients) client.end(true);
  await browser?.close();
  await t?.stop();
});

const node = (page: Page, id: string) =>
  page.locator(`[data-testid=map-node][data-node-id="${id}"]`);

describe('NOC map and branch page', () => {
  it('colours branches by state, live, and drills into a branch’s devices and links', async () => {
    const page = await browser.context.newPage();
    await signIn(page, t.api.baseUrl);
    await useScheme(page, 'light');
    await page.getByTestId('nav-map').click();
    expect(new URL(page.url()).pathname).toBe('/map');

    await expect
      .poll(() => page.locator('[data-testid=map-node][data-kind=branch]').count())
      .toBe(3);
    expect(await node(page, `branch:${ids.hq}`).getAttribute('data-state')).toBe('ok');
    expect(await node(page, `branch:${ids.shiraz}`).getAttribute('data-state')).toBe('failing');
    expect(await node(page, `branch:${ids.tabriz}`).getAttribute('data-state')).toBe('unknown');
    expect(await page.getByTestId('map-problem').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'map-light-ltr.png'), fullPage: true });

    // Shiraz recovers (two good rounds): the node turns green on the next poll, no reload.
    const good = [0, 1].map((i) =>
      tcpResult('intranet', new Date(Date.now() - (2 - i) * 1000), true),
    );
    await publish(
      shirazAgent,
      topics.results(shiraz),
      JSON.stringify(batch('srv-sh', shirazSeq++, good)),
    );
    await expect
      .poll(() => node(page, `branch:${ids.shiraz}`).getAttribute('data-state'), {
        timeout: 20_000,
      })
      .toBe('ok');
    await expect.poll(() => page.getByTestId('map-no-problems').count()).toBe(1);

    // A click selects, a double click opens the branch's devices and links.
    await node(page, `branch:${ids.hq}`).click();
    await expect
      .poll(() => page.getByTestId('map-selected').getAttribute('data-node-id'))
      .toBe(`branch:${ids.hq}`);
    await node(page, `branch:${ids.hq}`).dblclick();
    await expect.poll(() => page.getByTestId('map-page').getAttribute('data-level')).toBe('branch');
    expect(new URL(page.url()).searchParams.get('branch')).toBe(ids.hq);
    await expect
      .poll(() => page.locator('[data-testid=map-node][data-kind=device]').count())
      .toBe(2);
    expect(await node(page, `check:${ids.wanCheck}`).getAttribute('data-kind')).toBe('wan');
    // core-sw has no check of its own: unknown, without greying the branch.
    expect(await node(page, `branch:${ids.hq}`).getAttribute('data-state')).toBe('ok');
    expect(
      await node(page, 'device:' + (await agentIdOf('srv-hq')) + '/router').getAttribute(
        'data-state',
      ),
    ).toBe('ok');
    const lldp = page.locator('[data-testid=map-edge][data-edge-kind=lldp]');
    expect(await lldp.count()).toBe(1);
    // The link to the router is labelled with the router check's last median and loss.
    expect(await lldp.getByTestId('map-edge-label').textContent()).toMatch(
      /^\d+(\.\d)? ms · \d+ %$/,
    );
    await page.screenshot({ path: path.join(shots, 'map-branch-light-ltr.png'), fullPage: true });

    await page.getByTestId('map-open-branch').click();
    await expect.poll(() => page.getByTestId('branch-name').textContent()).toBe('hq');
    expect(new URL(page.url()).pathname).toBe(`/branches/${ids.hq}`);
    await page.close();
  });

  it('draws the SmokePing chart of each round and changes resolution with the range', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/branches/${ids.hq}`);
    const chart = page.getByTestId('latency-chart');
    await expect
      .poll(() => chart.getAttribute('data-points'), { timeout: 20_000 })
      .toBe(String(ROUNDS));
    expect(await chart.getAttribute('data-resolution')).toBe('raw');
    expect(await chart.getAttribute('data-medians')).toBe(String(ROUNDS));
    // The WAN check is charted by default; every lossy round gets a loss mark.
    expect(await page.getByTestId('chart-check').inputValue()).toContain('wan-ping');
    // uPlot draws on a canvas: the counts are on the chart, the colours in its pixels.
    expect(await chart.getAttribute('data-bands')).toBe('3');
    expect(await chart.getAttribute('data-loss-marks')).toBe(String(LOSSY_ROUNDS));
    const colours = await chartColours(page);
    // SmokePing's green median (no loss), the colour of 4 lost pings in 20 (#7e00ff, the
    // 20 % rounds) and grey smoke.
    expect(colours.green).toBeGreaterThan(50);
    expect(colours.lossy).toBeGreaterThan(10);
    expect(colours.smoke).toBeGreaterThan(500);
    expect(await page.getByTestId('mini-loss').getAttribute('data-points')).toBe(String(ROUNDS));
    expect(await page.getByTestId('mini-jitter').getAttribute('data-points')).toBe(String(ROUNDS));
    expect(await page.getByTestId('branch-agents').textContent()).toBe('1 of 1 agents online');
    // The linkDown trap core-sw sent, through the agent.
    await expect.poll(() => page.getByTestId('branch-event').count()).toBe(1);
    expect(await page.getByTestId('branch-event').textContent()).toContain('1.3.6.1.6.3.1.1.5.3');
    await page.screenshot({ path: path.join(shots, 'branch-light-ltr.png'), fullPage: true });

    await page.getByTestId('range-picker').getByText('7 d').click();
    await expect
      .poll(() => page.getByTestId('series-summary').getAttribute('data-resolution'))
      .toBe('1h');
    expect(await chart.getAttribute('data-resolution')).toBe('1h');
    expect(new URL(page.url()).searchParams.get('range')).toBe('7d');

    await page.getByTestId('range-picker').getByText('1 h').click();
    await expect.poll(() => chart.getAttribute('data-resolution')).toBe('raw');

    await useScheme(page, 'dark');
    await page.screenshot({ path: path.join(shots, 'branch-dark-ltr.png'), fullPage: true });
    await page.close();
  });

  it('honours a ticket’s link to a check and a moment, and lays out right to left', async () => {
    const page = await browser.context.newPage();
    // Persian, as a person chooses it (the language switcher stores it in localStorage): the
    // app then sets dir="rtl" on <html>.
    await page.addInitScript({ content: `localStorage.setItem('bw.language', 'fa');` });
    // From 5 minutes before the first round to 20.5 minutes after it: rounds 0 to 20.
    const from = new Date(start - 5 * 60_000).toISOString();
    const to = new Date(start + 20.5 * 60_000).toISOString();
    const query = new URLSearchParams({ check: ids.routerCheck, from, to });
    await signIn(page, `${t.api.baseUrl}/branches/${ids.hq}?${query}`);
    const chart = page.getByTestId('latency-chart');
    await expect.poll(() => chart.getAttribute('data-resolution'), { timeout: 20_000 }).toBe('raw');
    expect(await page.getByTestId('chart-check').inputValue()).toContain('router-ping');
    expect(Number(await chart.getAttribute('data-points'))).toBe(21);
    expect(await page.evaluate('getComputedStyle(document.body).direction')).toBe('rtl');
    await useScheme(page, 'light');
    await page.screenshot({ path: path.join(shots, 'branch-light-rtl.png'), fullPage: true });

    await page.getByTestId('branch-on-map').click();
    await expect
      .poll(() => page.locator('[data-testid=map-node][data-kind=device]').count())
      .toBe(2);
    await useScheme(page, 'dark');
    await page.screenshot({ path: path.join(shots, 'map-branch-dark-rtl.png'), fullPage: true });
    await page.getByTestId('map-back').click();
    await expect
      .poll(() => page.locator('[data-testid=map-node][data-kind=branch]').count())
      .toBe(3);
    await page.screenshot({ path: path.join(shots, 'map-dark-rtl.png'), fullPage: true });
    // The profile is shared by the next tests, which read English.
    await page.evaluate("localStorage.removeItem('bw.language')");
    await page.close();
  });

  it("offers a phone the chart's ranges as one choice that fits its screen, in Persian and French", async () => {
    for (const language of ['fa', 'fr'] as const) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.addInitScript({ content: `localStorage.setItem('bw.language', '${language}');` });
      await signIn(page, `${t.api.baseUrl}/branches/${ids.hq}`);
      const chart = page.getByTestId('latency-chart');
      await expect
        .poll(() => chart.getAttribute('data-resolution'), { timeout: 20_000 })
        .toBe('raw');
      const picker = page.getByTestId('range-picker');
      // Every choice is one select's option: none is cut at the card's edge.
      const box = (await picker.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(await picker.locator('option').allTextContents()).toEqual(
        language === 'fa'
          ? ['۱ ساعت', '۶ ساعت', '۲۴ ساعت', '۷ روز', '۳۰ روز', 'دلخواه']
          : ['1 h', '6 h', '24 h', '7 j', '30 j', 'Personnalisée'],
      );
      await picker.selectOption('7d');
      await expect.poll(() => chart.getAttribute('data-resolution')).toBe('1h');
      await page.screenshot({ path: path.join(shots, `branch-range-phone-${language}.png`) });
      await page.evaluate("localStorage.removeItem('bw.language')");
      await page.close();
    }
  });

  it('draws the same graph with vis-network on a canvas', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/map`);
    await useScheme(page, 'light');
    await page.getByTestId('map-view').getByText('Force (canvas)').click();
    expect(new URL(page.url()).searchParams.get('view')).toBe('canvas');
    const canvas = page.locator('[data-testid=noc-map-vis] canvas');
    await canvas.waitFor();
    // One group node and three branches, as on the SVG map (drawn once the fleet has loaded).
    const nodes = () => page.getByTestId('noc-map-vis').getAttribute('data-nodes');
    await expect.poll(nodes, { timeout: 30_000 }).toBe('4');
    const box = await canvas.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    // Let the forces settle before the picture (vis-network stabilises, then stops).
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(shots, 'map-canvas-light-ltr.png'), fullPage: true });

    await page.goto(`${t.api.baseUrl}/map?view=canvas&branch=${ids.hq}`);
    await canvas.waitFor();
    // Branch, agent, WAN check, core-sw, router: once the branch's topology has loaded.
    await expect.poll(nodes, { timeout: 30_000 }).toBe('5');
    await page.waitForTimeout(1000);
    await page.screenshot({
      path: path.join(shots, 'map-canvas-branch-light-ltr.png'),
      fullPage: true,
    });
    await page.close();
  });
});

async function agentIdOf(username: string): Promise<string> {
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/agents');
  return items.find((a) => a.slug === username)!.id;
}
