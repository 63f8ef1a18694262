import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  screenshotDir as shots,
  signIn,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';

/**
 * The web UI under the hub's Content-Security-Policy (hub/src/http/security-headers.ts), in
 * Chromium against a real hub: every page runs with no violation reported (a blocked script,
 * style, image or request), at a phone's size and a desktop's, in English, Persian and French;
 * and a page of the hub refuses to be framed. Needs a web build (BW_TEST_WEB_DIR or web/dist).
 */

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const paths: string[] = [];

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'csp-tehran',
  });
  await t.api.request('PATCH', `/api/v1/branches/${branch.id}`, {
    latitude: 35.7,
    longitude: 51.4,
  });
  const { ticket } = await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
    subject: 'Printer offline',
    body: 'The printer on the second floor answers no ping.',
    branchId: branch.id,
  });
  paths.push(
    '/',
    '/map',
    '/map?view=canvas',
    '/map?view=geo',
    '/tickets',
    `/tickets/${ticket.id}`,
    `/branches/${branch.id}`,
    '/admin',
    '/admin/users',
  );
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Collects CSP violations the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(
    `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
  );
  return async () => [...console, ...(await page.evaluate<string[]>('window.__csp'))];
}

describe('the web UI under its Content-Security-Policy', () => {
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`runs every page with no violation (${size.name}, ${language})`, async () => {
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: size.width, height: size.height });
        const violations = await watchViolations(page);
        const answer = await page.goto(`${t.api.baseUrl}/`);
        expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
        await signIn(page, `${t.api.baseUrl}/`);
        await chooseLanguage(page, language);
        // The choice is stored on the hub after it shows; a reload before that would undo it.
        await expect
          .poll(async () => {
            const stored = await t.api.get<{ preferences: { language?: string } }>(
              '/api/v1/notify/preferences',
            );
            return stored.preferences.language;
          })
          .toBe(language);
        for (const where of paths) {
          await page.goto(`${t.api.baseUrl}${where}`);
          await page.waitForLoadState('networkidle');
          expect(await violations(), where).toEqual([]);
          expect(await page.locator('html').getAttribute('lang'), where).toBe(language);
        }
        await page.goto(`${t.api.baseUrl}/map?view=geo`);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: path.join(shots, `csp-map-${size.name}-${language}.png`) });
        await page.goto(`${t.api.baseUrl}/tickets`);
        await page.waitForLoadState('networkidle');
        await page.screenshot({
          path: path.join(shots, `csp-tickets-${size.name}-${language}.png`),
        });
        expect(await violations()).toEqual([]);
        await page.close();
      });

  it('refuses to be shown in a frame of another page', async () => {
    // Another site on loopback frames `?url=`; the control is a third origin without the
    // hub's headers, which shows in the frame.
    const serve = async (html: (url: URL) => string) => {
      const server = http.createServer((req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(html(new URL(req.url ?? '/', 'http://x')));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
    };
    const framing = await serve(
      (u) => `<iframe id="f" src="${u.searchParams.get('url') ?? ''}"></iframe>`,
    );
    const plain = await serve(() => '<div id="root">plain</div>');
    const page = await browser.context.newPage();
    try {
      const framed = async (url: string) => {
        await page.goto(`${framing.url}?url=${encodeURIComponent(url)}`);
        await expect.poll(() => page.frames().length).toBe(2);
        const frame = page.frames()[1]!;
        await frame.waitForLoadState();
        return { url: frame.url(), roots: await page.frameLocator('#f').locator('#root').count() };
      };
      expect(await framed(plain.url)).toEqual({ url: plain.url, roots: 1 });
      expect(await framed(`${t.api.baseUrl}/`)).toEqual({
        url: 'chrome-error://chromewebdata/',
        roots: 0,
      });
    } finally {
      await page.close();
      framing.server.close();
      plain.server.close();
    }
  });
});
