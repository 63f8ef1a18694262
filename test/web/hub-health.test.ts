import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { launchBrowser } from '../support/browser.js';
import { chooseLanguage, screenshotDir as shots, signIn } from '../support/web-page.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitFor } from '../support/http.js';

const WAIT = { timeout: 60_000 };

const FAILING_LABEL = {
  en: 'Chart rollups (minute, hour, day)',
  fa: 'تجمیع نمودارها (دقیقه، ساعت، روز)',
  fr: 'Agrégats des graphiques (minute, heure, jour)',
} as const;

/**
 * The admin's Hub health page in Chromium: with the rollups really failing (their table taken
 * away under the hub), the page names the job in the reader's language, marks it failing with
 * the database's error, and fits a phone and a desktop in English, Persian and French.
 */
describe('hub health page', () => {
  let t: TestHub;
  let db: Database;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    await fs.mkdir(shots, { recursive: true });
    t = await startTestHub({ BW_ROLLUP_INTERVAL_SECONDS: '1', BW_ALERT_SWEEP_SECONDS: '1' });
    db = connectDatabase(t.databaseUrl, { min: 0, max: 1 });
    await db.raw('ALTER TABLE rollup_dirty_hours RENAME TO rollup_dirty_hours_away');
    await waitFor('three failed rollup runs', async () => {
      const health = await t.api.get<{ jobs: { name: string; consecutiveFailures: number }[] }>(
        '/api/v1/system/health',
      );
      const rollups = health.jobs.find((j) => j.name === 'rollups');
      return rollups && rollups.consecutiveFailures >= 3 ? rollups : undefined;
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await t?.stop();
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`shows the failing job at ${width} px in three languages`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await signIn(page, `${t.api.baseUrl}/admin/health`);
      for (const language of ['en', 'fa', 'fr'] as const) {
        await chooseLanguage(page, language);
        const failing = page.locator('[data-testid=health-job][data-state=alerting]');
        await failing.first().waitFor(WAIT);
        await expect
          .poll(() => failing.first().innerText(), WAIT)
          .toContain(FAILING_LABEL[language]);
        expect(await failing.first().getByTestId('health-error').innerText()).toContain(
          'rollup_dirty_hours',
        );
        const jobs = await page.getByTestId('health-job').count();
        expect(jobs).toBeGreaterThanOrEqual(5);
        const overflow = await page.evaluate(() => {
          // A function, not a string: the hub's Content-Security-Policy forbids eval.
          const w = globalThis as unknown as {
            document: { documentElement: { scrollWidth: number } };
            innerWidth: number;
          };
          return w.document.documentElement.scrollWidth - w.innerWidth;
        });
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({
          path: path.join(shots, `admin-health-${width}-${language}.png`),
          fullPage: true,
        });
      }
      await page.close();
    });
  }
});
