import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { runAgent, stop, type Started } from '../support/processes.js';
import {
  chooseLanguage,
  noHorizontalOverflow,
  notShownWhole,
  screenshotDir,
  signIn,
  useScheme,
} from '../support/web-page.js';

/**
 * The tenant admin's story, against a real hub and a real agent process on loopback: the
 * Tehran depot's server already runs two checks of its own file and one the hub manages. The
 * tenant's admin adds a check to it in Admin → Agents → Checks; the agent takes it at once, the
 * overview and the branch page show the new check with what it measured, and the three checks
 * it had keep reporting (their last round keeps moving on). Then the pages are read at a
 * phone's size and a desktop's in Persian and French.
 */

const shots = path.join(screenshotDir, 'admin-check-journey');
const WAIT = { timeout: 60_000 };
const PASSWORD = 'depot-admin-password-1';

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let agent: Started | undefined;
let work: string;
const servers: net.Server[] = [];
let agentId: string;
let branchId: string;

/** A loopback TCP service that accepts and closes, on a port of the system's choosing. */
async function listen(): Promise<string> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-admin-check-journey-'));
  t = await startTestHub();
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'pars',
    name: 'Pars Retail',
  });
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'tehran-depot',
    name: 'Tehran depot',
    tenant: 'pars',
  });
  branchId = branch.id;
  await t.api.post('/api/v1/users', {
    username: 'parvin',
    password: PASSWORD,
    role: 'tenant_admin',
    tenantId: tenant.id,
  });
  // A branch nobody set up yet, and a support agent of the tenant (who adds no agents).
  await t.api.post('/api/v1/branches', {
    slug: 'karaj-store',
    name: 'Karaj store',
    tenant: 'pars',
  });
  await t.api.post('/api/v1/users', {
    username: 'sepideh',
    password: PASSWORD,
    role: 'support_agent',
    tenantId: tenant.id,
  });
  const issued = await t.api.post<{ agent: { id: string }; config: string }>('/api/v1/agents', {
    branchId,
    slug: 'depot-srv',
  });
  agentId = issued.agent.id;
  const fileChecks = [
    { id: 'gateway', type: 'icmp', target: '127.0.0.1', intervalSeconds: 2 },
    { id: 'pbx-sip', type: 'tcp', target: await listen(), intervalSeconds: 2 },
  ];
  // One check the hub already manages, beside the file's.
  await t.api.post(`/api/v1/agents/${agentId}/checks`, {
    key: 'cameras',
    type: 'tcp',
    target: await listen(),
    intervalSeconds: 2,
  });
  agent = runAgent(issued.config, work, fileChecks);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  if (agent) await stop(agent);
  for (const server of servers) server.close();
  await browser?.close();
  await t?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

const OLD_CHECKS = ['gateway', 'pbx-sip', 'cameras'];

/** The overview's row of the check the person knows by this name. */
const overviewRow = (page: Page, name: string) =>
  page.locator(`[data-testid=check-row]:has([data-testid=check-name][title="${name}"])`);

/** When the row's last round ran, as its time's tooltip reads (to the second). */
const lastRoundAt = (row: Locator) => row.locator('time').locator('..').getAttribute('title');

describe('a tenant admin adds a check to a running agent', () => {
  it('sees the new check measure while every check it had keeps reporting', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/`, 'parvin', PASSWORD);
    await useScheme(page, 'light');
    await chooseLanguage(page, 'en');

    // Before: the three checks report on the overview.
    for (const name of OLD_CHECKS) {
      await expect.poll(() => overviewRow(page, name).getAttribute('data-status'), WAIT).toBe('ok');
    }

    // Admin → Agents → Checks of the depot's server.
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByTestId('admin-nav-agents').click();
    const agentRow = page.locator('[data-testid=agent-admin-row][data-slug=depot-srv]');
    await agentRow.getByRole('link', { name: 'Checks' }).click();
    const listed = page.getByTestId('managed-check-row');
    await expect.poll(() => listed.count(), WAIT).toBe(3);
    expect(await page.getByTestId('managed-checks').textContent()).toContain("agent's file");

    const erp = await listen();
    const form = page.getByTestId('check-form');
    await form.getByLabel('Name').fill('erp-web');
    await page.getByTestId('check-type').selectOption('tcp');
    await form.getByLabel('Target').fill(erp);
    await page.getByTestId('check-interval').fill('2');
    await form.getByRole('button', { name: 'Add check' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), WAIT).toMatch(/erp-web/);

    // The agent takes it and says so; the checks it had still run.
    const runs = (key: string) =>
      page.locator(`[data-testid=managed-check-row][data-key="${key}"] [data-testid=check-runs]`);
    await expect
      .poll(async () => {
        await page.reload();
        return runs('erp-web').textContent();
      }, WAIT)
      .toBe('running');
    for (const name of OLD_CHECKS) expect(await runs(name).textContent()).toBe('running');
    await page.screenshot({ path: path.join(shots, 'desktop-en-checks.png'), fullPage: true });

    // The overview: the new check with what it measured, the others still fresh.
    await page.getByRole('link', { name: 'Overview' }).click();
    const erpRow = overviewRow(page, 'erp-web');
    await expect
      .poll(() => erpRow.locator('[data-testid=check-result]').textContent(), WAIT)
      .toMatch(/^connect [\d.]+ ms$/);
    expect(await erpRow.getAttribute('data-status')).toBe('ok');
    const before = new Map<string, string | null>();
    for (const name of OLD_CHECKS) before.set(name, await lastRoundAt(overviewRow(page, name)));
    for (const name of OLD_CHECKS) {
      const row = overviewRow(page, name);
      // A later round arrives for each: its time moves on, and it reads seconds ago.
      await expect.poll(() => lastRoundAt(row), WAIT).not.toBe(before.get(name));
      expect(await row.getAttribute('data-status')).toBe('ok');
      expect(await row.locator('time').textContent()).toMatch(/^(just now|\d+ s ago)$/);
      // In the small print under the heartbeat, the size of its "100 % OK" (0.75 rem).
      expect(
        await row
          .locator('time')
          .evaluate(
            (el) => el.ownerDocument.defaultView!.getComputedStyle(el.parentElement!).fontSize,
          ),
      ).toBe('12px');
    }
    expect(
      await overviewRow(page, 'gateway').locator('[data-testid=check-result]').textContent(),
    ).toMatch(/^median [\d.]+ ms · loss 0 %$/);
    await page.screenshot({ path: path.join(shots, 'desktop-en-overview.png'), fullPage: true });

    // The branch page lists all four, each with a measured value.
    await page.goto(`${t.api.baseUrl}/branches/${branchId}`);
    await expect
      .poll(() => page.getByTestId('branch-name').textContent(), WAIT)
      .toBe('Tehran depot');
    const branchRows = page.getByTestId('branch-check-row');
    await expect.poll(() => branchRows.count(), WAIT).toBe(4);
    for (const row of await branchRows.all()) {
      expect(await row.getAttribute('data-state')).toBe('ok');
      expect(await row.textContent()).toMatch(/(connect|median) [\d.]+ ms/);
    }
    await page.screenshot({ path: path.join(shots, 'desktop-en-branch.png'), fullPage: true });
    await page.close();
  }, 300_000);

  it('reads the checks, the overview and the branch at both sizes in Persian and French', async () => {
    const page = await browser.context.newPage();
    await signIn(page, `${t.api.baseUrl}/`, 'parvin', PASSWORD);
    for (const language of ['fa', 'fr'] as const) {
      for (const [size, width, height] of [
        ['phone', 390, 844],
        ['desktop', 1440, 900],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const [name, url] of [
          ['checks', `/admin/agents/${agentId}/checks`],
          ['overview', '/'],
          ['branch', `/branches/${branchId}`],
        ] as const) {
          await page.goto(`${t.api.baseUrl}${url}`);
          await chooseLanguage(page, language);
          await page.keyboard.press('Escape');
          if (name === 'checks')
            await expect.poll(() => page.getByTestId('managed-check-row').count(), WAIT).toBe(4);
          else if (name === 'overview')
            await expect
              .poll(() => overviewRow(page, 'erp-web').getAttribute('data-status'), WAIT)
              .toBe('ok');
          else await expect.poll(() => page.getByTestId('branch-check-row').count(), WAIT).toBe(4);
          await noHorizontalOverflow(page);
          // On a phone each check's row, its name and its state show whole: no table runs past
          // its card to be scrolled (in Persian its first columns ran off the card's left).
          if (size === 'phone' && name !== 'checks') {
            const [row, ...parts] =
              name === 'overview'
                ? ['check-row', 'check-name', 'status-badge']
                : ['branch-check-row', 'branch-check-name', 'check-state'];
            const inRows = parts.map((part) => `[data-testid=${row}] [data-testid=${part}]`);
            for (const part of inRows) expect(await page.locator(part).count()).toBe(4);
            expect(
              await notShownWhole(page, [`[data-testid=${row}]`, ...inRows].join(', ')),
            ).toEqual([]);
          }
          await page.screenshot({
            path: path.join(shots, `${size}-${language}-${name}.png`),
            fullPage: true,
          });
        }
      }
    }
    await page.close();
  }, 300_000);

  it('names each branch by its name, and tells each person who adds agents to an empty one', async () => {
    const branchCard = (page: Page, name: string) =>
      page.getByTestId('branch').filter({ has: page.getByRole('link', { name, exact: true }) });
    for (const [username, words] of [
      ['parvin', 'No agents in this branch yet: add one under Admin, Agents.'],
      [
        'sepideh',
        'Nothing watches this branch yet: your administrator adds an agent on one of its servers.',
      ],
    ] as const) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      // The browser's profile is shared: whoever signed in before signs out first.
      await page.goto(`${t.api.baseUrl}/`);
      await page.locator('[data-testid=login-username], [data-testid=logout]').first().waitFor();
      if ((await page.getByTestId('logout').count()) > 0) await page.getByTestId('logout').click();
      await signIn(page, `${t.api.baseUrl}/`, username, PASSWORD);
      await chooseLanguage(page, 'en');
      const karaj = branchCard(page, 'Karaj store');
      await expect
        .poll(() => karaj.getByTestId('branch-no-agents').textContent(), WAIT)
        .toBe(words);
      await expect.poll(() => branchCard(page, 'Tehran depot').count(), WAIT).toBe(1);
      // Branches read by their names: no tenant/slug code names beside them.
      expect(await page.getByRole('main').textContent()).not.toMatch(
        /pars\/|tehran-depot|karaj-store/,
      );
      await page.screenshot({ path: path.join(shots, `desktop-en-overview-${username}.png`) });
      await page.close();
    }
  }, 120_000);
});
