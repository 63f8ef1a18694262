/**
 * Web figures (`pnpm bench:web [-- --branches 5000 --tickets 1000000 --pages 50]`), not part of
 * `pnpm test`. "the map with 5,000 nodes interactive in under 2 s in Chromium; the
 * ticket queue with 1,000,000 tickets paging in under 200 ms as a person sees it".
 *
 * Starts the real hub (child process, embedded PostgreSQL) serving a web build (BW_BENCH_WEB_DIR,
 * else web/dist), seeds it in SQL, and drives Debian's Chromium (test/support/browser.ts):
 *
 * Map. Seeds `--branches` branches in 10 tenants, one agent and three checks (WAN ping, SIP,
 * camera) each, about 2 % failing. "Interactive" is measured from the start of navigation to
 * /map until (1) the SVG map is in the DOM with its nodes and (2) a click on a branch node has
 * been handled (the side panel shows that node). Then every branch drawn: on /map?group=none,
 * from the click on the cluster of all branches until 5,000+ branch nodes are painted and a
 * click on the last one has been handled. Also prints what the fleet requests cost the hub.
 *
 * Queue. Seeds `--tickets` tickets (state, priority and subject mixes like test/bench/tickets.ts)
 * and measures in the page, from the click on "next" to the animation frame in which the new
 * rows are in the DOM (so painted), over `--pages` pages; then the same for changing the sort
 * order `--filters` times. Prints p50/p95/max, and how much of it was the hub's answer.
 * `--tickets 0` measures the map only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import {
  ADMIN_PASSWORD,
  REPO,
  adminApi,
  percentile,
  startBenchHub,
  type BenchHub,
} from './hub-bench.js';
import { seedFleet, seedRollups, seedTickets } from './web-seed.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    branches: { type: 'string', default: '5000' },
    tickets: { type: 'string', default: '1000000' },
    pages: { type: 'string', default: '50' },
    filters: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
  },
});
const BRANCHES = Number(args.branches);
const TICKETS = Number(args.tickets);
const PAGES = Number(args.pages);
const FILTERS = Number(args.filters);
const RUNS = Number(args.runs);
const TENANTS = 10;
/** Every wait in the browser gives up after this long, so a broken build cannot hang the run. */
const WAIT_MS = 120_000;

async function signIn(page: Page, baseUrl: string, username = 'admin', password = ADMIN_PASSWORD) {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor({ timeout: WAIT_MS });
}

/** Resolves in the first animation frame after `predicate` holds: the change is painted. */
function paintedWhen(page: Page, predicate: string, arg: unknown) {
  return page.waitForFunction(`(${predicate})(${JSON.stringify(arg)})`, undefined, {
    polling: 'raf',
    timeout: WAIT_MS,
  });
}

/** Clicks a branch node and waits until the side panel shows it. */
async function clickBranch(page: Page, nth: number) {
  const node = page.locator('[data-testid=map-node][data-kind=branch]').nth(nth);
  const id = await node.getAttribute('data-node-id');
  await node.click();
  await page
    .locator(`[data-testid=map-selected][data-node-id="${id}"]`)
    .waitFor({ timeout: WAIT_MS });
}

/** The fleet requests the map makes (web/src/live/fleet.ts): time to first byte and size. */
const FLEET_CALLS = ['branches', 'agents', 'checks', 'tickets'] as const;

function recordFleetCalls(page: Page) {
  const seen: Record<string, { ttfb: number; bytes: number }[]> = {};
  page.on('requestfinished', (request) => {
    const url = new URL(request.url());
    const name = FLEET_CALLS.find((n) => url.pathname === `/api/v1/${n}`);
    if (!name || (name === 'tickets' && url.searchParams.get('state') !== 'active')) return;
    void request.sizes().then((sizes) => {
      const timing = request.timing();
      (seen[name] ??= []).push({
        ttfb: timing.responseStart - timing.requestStart,
        bytes: sizes.responseBodySize,
      });
    });
  });
  return seen;
}

async function mapFigures(page: Page, baseUrl: string) {
  const calls = recordFleetCalls(page);
  const clustered: number[] = [];
  const painted: number[] = [];
  const expanded: number[] = [];
  let nodes = { clustered: 0, expanded: 0 };
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    await page.goto(`${baseUrl}/map`);
    await page.locator('[data-testid=noc-map]').waitFor({ timeout: WAIT_MS });
    painted.push(performance.now() - t0);
    await clickBranch(page, 0);
    clustered.push(performance.now() - t0);
    nodes.clustered = Number(await page.getByTestId('noc-map').getAttribute('data-nodes'));

    // Every branch on screen: ungrouped, the one cluster of all branches opened with a click.
    await page.goto(`${baseUrl}/map?group=none`);
    const cluster = page.locator('[data-testid=map-node][data-kind=cluster]').first();
    await cluster.waitFor({ timeout: WAIT_MS });
    const t1 = performance.now();
    await cluster.click();
    await paintedWhen(
      page,
      `(n) => document.querySelectorAll('[data-testid=map-node][data-kind=branch]').length >= n`,
      BRANCHES,
    );
    await clickBranch(page, BRANCHES - 1);
    expanded.push(performance.now() - t1);
    nodes = {
      ...nodes,
      expanded: Number(await page.getByTestId('noc-map').getAttribute('data-nodes')),
    };
  }
  return { clustered, painted, expanded, nodes, calls };
}

/**
 * The branch page's chart over 30 days (hourly rollups): from navigation, and from the click on
 * "30 d" (after 24 h, per-minute rollups), until uPlot has drawn every point.
 */
async function chartFigures(page: Page, baseUrl: string, branchId: string, points: number) {
  const chartDrawn = (resolution: string, n: number) =>
    paintedWhen(
      page,
      `([resolution, n]) => { const c = document.querySelector('[data-testid=latency-chart]');
        return c !== null && c.dataset.resolution === resolution && Number(c.dataset.points) >= n
          && c.querySelector('canvas') !== null; }`,
      [resolution, n],
    );
  const navigation: number[] = [];
  const switching: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    await page.goto(`${baseUrl}/branches/${branchId}?range=30d`);
    await chartDrawn('1h', points);
    navigation.push(performance.now() - t0);
    await page.getByTestId('range-picker').getByText('24 h').click();
    await chartDrawn('1m', 1000);
    const t1 = performance.now();
    await page.getByTestId('range-picker').getByText('30 d').click();
    await chartDrawn('1h', points);
    switching.push(performance.now() - t1);
  }
  return { navigation, switching };
}

interface QueueChange {
  /** From the click event to the animation frame with the new rows, in the page. */
  total: number;
  /** From the click event until the browser sent the list request (render, queueing). */
  queued: number;
  /** The list request's time to first byte: the hub's share. */
  hub: number;
}

/**
 * Runs `act` (a click) and times it in the page, from the click event to the animation frame
 * in which the queue's first row is another ticket (so Playwright's own overhead is left out).
 */
async function timeQueueChange(page: Page, act: () => Promise<void>): Promise<QueueChange> {
  const before = await page
    .locator('[data-testid=queue-row]')
    .first()
    .getAttribute('data-ticket-id');
  const listed = page.waitForResponse(
    (r) => r.request().method() === 'GET' && /\/api\/v1\/tickets\?/.test(r.url()),
    { timeout: WAIT_MS },
  );
  // Awaited below; a failure before that must not surface as an unhandled rejection.
  listed.catch(() => undefined);
  await page.evaluate(`(() => {
    window.__bwClickAt = undefined;
    window.__bwPaintedAt = undefined;
    if (!window.__bwClickHook) {
      window.__bwClickHook = true;
      document.addEventListener('click', () => { window.__bwClickAt ??= performance.now(); }, true);
    }
  })()`);
  await act();
  await paintedWhen(
    page,
    `(before) => { const row = document.querySelector('[data-testid=queue-row]');
      const changed = row !== null && row.getAttribute('data-ticket-id') !== before;
      if (changed) window.__bwPaintedAt = performance.now();
      return changed; }`,
    before,
  );
  const at = (await page.evaluate(
    '({ click: window.__bwClickAt, painted: window.__bwPaintedAt, origin: performance.timeOrigin })',
  )) as { click: number; painted: number; origin: number };
  const timing = (await listed).request().timing();
  return {
    total: at.painted - at.click,
    queued: Math.max(0, timing.startTime + timing.requestStart - (at.origin + at.click)),
    hub: timing.responseStart - timing.requestStart,
  };
}

async function queueFigures(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/tickets`);
  await page.locator('[data-testid=queue-row]').first().waitFor({ timeout: WAIT_MS });
  const paging: QueueChange[] = [];
  for (let i = 0; i < PAGES; i++) {
    // A small seed (`--tickets` low) may have fewer pages than asked for.
    if (await page.getByTestId('page-next').isDisabled()) break;
    paging.push(await timeQueueChange(page, () => page.getByTestId('page-next').click()));
  }
  // Filters: flip the sort order back and forth, as a person re-sorting the queue would; timed
  // from picking the option in the open list.
  const filtering: QueueChange[] = [];
  // Sort and order sit under the queue's "Filters" button.
  await page.getByTestId('filter-more').click();
  for (let i = 0; i < FILTERS; i++) {
    await page.getByTestId('filter-order').click();
    const other = page.locator('[role=option][aria-selected=false]:visible').first();
    await other.waitFor({ timeout: WAIT_MS });
    filtering.push(await timeQueueChange(page, () => other.click()));
  }
  return { paging, filtering };
}

const changeStats = (changes: QueueChange[]) =>
  `${stats(changes.map((c) => c.total))}\n` +
  `      of which click → request sent p50 ${median(changes.map((c) => c.queued))} ms, ` +
  `hub's answer (time to first byte) p50 ${median(changes.map((c) => c.hub))} ms`;

const median = (ms: number[]) =>
  percentile(
    [...ms].sort((a, b) => a - b),
    50,
  ).toFixed(0);

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(0)} ms`;
  return `p50 ${f(percentile(sorted, 50))}, p95 ${f(percentile(sorted, 95))}, max ${f(sorted.at(-1)!)}`;
};

function printQueue(
  title: string,
  tickets: { n: number; active: number },
  queue: { paging: QueueChange[]; filtering: QueueChange[] },
) {
  console.log(`\n${title}; ${tickets.n} tickets in all (${tickets.active} active), page of 25`);
  console.log(
    `  click "next" → new rows painted (${queue.paging.length} pages): ${changeStats(queue.paging)}`,
  );
  console.log(
    `  change sort order → new rows painted (${FILTERS}): ${changeStats(queue.filtering)}`,
  );
  console.log('  goal: < 200 ms');
}

/** A support agent of the first bank, made through the API. */
async function tenantAgent(hub: BenchHub) {
  const { rows } = await hub.db.raw(`
    SELECT t.id, t.slug, count(k.id)::int AS tickets,
           count(k.id) FILTER (WHERE k.state NOT IN ('resolved','closed'))::int AS active
    FROM tenants t JOIN tickets k ON k.tenant_id = t.id
    WHERE t.slug = 'bank-1' GROUP BY t.id, t.slug`);
  const tenant = rows[0] as { id: string; slug: string; tickets: number; active: number };
  const api = await adminApi(hub.baseUrl);
  const account = { username: 'desk-bank-1', password: 'bench-desk-password' };
  await api('POST', '/api/v1/users', { ...account, role: 'support_agent', tenantId: tenant.id });
  return { ...account, tenant: tenant.slug, tickets: tenant.tickets, active: tenant.active };
}

async function main() {
  const webDir = process.env.BW_BENCH_WEB_DIR ?? path.join(REPO, 'web/dist');
  if (!existsSync(path.join(webDir, 'index.html'))) {
    throw new Error(`no web build in ${webDir}: pnpm --filter @branchwatch/web build`);
  }
  const hub = await startBenchHub({ external: false, env: { BW_WEB_DIR: webDir } });
  const browser = await launchBrowser();
  try {
    const fleet = await seedFleet(hub.db, BRANCHES, TENANTS);
    console.log(
      `seeded in ${fleet.seconds.toFixed(0)} s: ${fleet.branches} branches, ${fleet.agents} agents, ` +
        `${fleet.checks} checks (${fleet.failing} failing)`,
    );
    const page = await browser.context.newPage();
    await signIn(page, hub.baseUrl);
    const map = await mapFigures(page, hub.baseUrl);
    console.log(`\nMap, ${fleet.branches} branches, SVG view, ${RUNS} runs (Chromium, headless)`);
    console.log(`  navigation → map painted:                 ${stats(map.painted)}`);
    console.log(
      `  navigation → clustered map interactive:   ${stats(map.clustered)}` +
        `   (${map.nodes.clustered} nodes; a click on a branch handled)`,
    );
    console.log(
      `  click "all branches" → all interactive:  ${stats(map.expanded)}` +
        `   (${map.nodes.expanded} nodes; a click handled)   goal: < 2 s`,
    );
    for (const name of FLEET_CALLS) {
      const list = map.calls[name] ?? [];
      console.log(
        `  GET /api/v1/${name}${name === 'tickets' ? '?state=active' : ''}: hub p50 ` +
          `${median(list.map((c) => c.ttfb))} ms, ${((list[0]?.bytes ?? 0) / 1024).toFixed(0)} KiB`,
      );
    }

    const rollups = await seedRollups(hub.db);
    const chart = await chartFigures(page, hub.baseUrl, rollups.branchId, rollups.points);
    console.log(`\nBranch chart, 30 days of hourly rollups (${rollups.points} points), uPlot`);
    console.log(`  navigation → chart drawn:        ${stats(chart.navigation)}`);
    console.log(`  click "30 d" (from 24 h) → drawn: ${stats(chart.switching)}`);

    if (TICKETS === 0) return; // `--tickets 0`: the map and the chart only
    console.log(`seeding ${TICKETS.toLocaleString('en')} tickets…`);
    const tickets = await seedTickets(hub.db, TICKETS);
    console.log(
      `seeded in ${tickets.seconds.toFixed(0)} s: ${tickets.n} tickets, ${tickets.active} active`,
    );
    // The platform admin's queue spans every tenant; a support agent's is one tenant's.
    const queue = await queueFigures(page, hub.baseUrl);
    printQueue(`Queue as the platform admin (all tenants)`, tickets, queue);
    const agent = await tenantAgent(hub);
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor({ timeout: WAIT_MS });
    await signIn(page, hub.baseUrl, agent.username, agent.password);
    printQueue(
      `Queue as a support agent of ${agent.tenant} (${agent.tickets} tickets, ${agent.active} active)`,
      tickets,
      await queueFigures(page, hub.baseUrl),
    );
  } finally {
    await browser.close();
    await hub.stop();
  }
}

await main();
