import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { wallScreenUser } from '../support/roles.js';

/**
 * The web UI asks only for the live stream the person may read: a watcher whose role holds
 * `inventory.read` but not `tickets.read` gets no desk stream (the overview polls, and no refused
 * stream is asked again and again); branch staff sent from a desk address to the portal read
 * the portal's stream, never the desk's. In real Chromium against a real hub.
 */
const PASSWORD = 'stream-choice-pass-1';
let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenantId: string;
let branchId: string;

beforeAll(async () => {
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'kiosk-lane',
    name: 'Kiosk Lane',
    tenant: 'default',
  });
  branchId = branch.id;
  await wallScreenUser(t.api, tenantId, 'wall', PASSWORD);
  await t.api.post('/api/v1/users', {
    username: 'kiosk-clerk',
    password: PASSWORD,
    role: 'requester',
    tenantId,
    branchIds: [branchId],
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Signs `username` in on a fresh page that records every live-stream answer it gets. */
async function signInWatchingStreams(username: string) {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  const streams: { path: string; status: number }[] = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.endsWith('/events/stream'))
      streams.push({ path: url.pathname, status: res.status() });
  });
  await page.goto(`${t.api.baseUrl}/`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  return { page, streams };
}

describe('the live stream a person reads', () => {
  it('is none for a watcher without tickets.read: the overview polls, nothing is refused', async () => {
    const { page, streams } = await signInWatchingStreams('wall');
    try {
      // Signed in: the desk's header with the pages the role may open.
      await page.getByText('wall · viewer').waitFor();
      await page.getByRole('link', { name: 'Map' }).click();
      await page.getByRole('link', { name: 'Overview' }).click();
      // A second page load: still no stream asked for.
      await page.reload();
      await page.getByText('wall · viewer').waitFor();
      expect(await page.evaluate('document.documentElement.dataset.bwLive ?? null')).not.toBe(
        'live',
      );
      expect(streams).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is the portal’s for branch staff who open a desk address', async () => {
    const { page, streams } = await signInWatchingStreams('kiosk-clerk');
    try {
      await page.getByTestId('portal-home').waitFor();
      await page.goto(`${t.api.baseUrl}/tickets`);
      await page.getByTestId('portal-home').waitFor();
      await expect
        .poll(() => page.evaluate('document.documentElement.dataset.bwLive ?? null'))
        .toBe('live');
      expect(streams.length).toBeGreaterThan(0);
      expect(streams).toEqual(
        streams.map(() => ({ path: '/api/v1/portal/events/stream', status: 200 })),
      );
    } finally {
      await page.close();
    }
  });
});
