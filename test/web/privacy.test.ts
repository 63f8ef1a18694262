import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { launchBrowser } from '../support/browser.js';
import { chooseLanguage, screenshotDir as shots, signIn, LANGUAGES } from '../support/web-page.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { ApiClient } from '../support/http.js';

const WAIT = { timeout: 60_000 };
const PASSWORD = 'privacy-walk-password-1';
// Persian isolates each filled-in value (FSI … PDI) so that it keeps its own direction.
const textOf = async (l: { innerText(): Promise<string> }) =>
  (await l.innerText()).replace(/[\u2068\u2069]/g, '');

/** What the person reads, in each language, at the steps of the journey. */
const READS = {
  attachmentsKept: {
    en: 'Attachments: kept',
    fa: 'پیوست‌ها: نگه داشته می‌شود',
    fr: 'Pièces jointes : conservé',
  },
  attachmentsAfter: {
    en: 'Attachments: 0, from before',
    fa: 'پیوست‌ها: ۰، از پیش از',
    fr: "Pièces jointes : 0, d'avant le",
  },
  sessions: {
    en: 'Sessions ended: 1',
    fa: 'نشست‌هایی که پایان می‌یابند: ۱',
    fr: 'Sessions fermées : 1',
  },
  filed: {
    en: 'Tickets they filed (who asked is replaced): 1',
    fa: 'تیکت‌هایی که ثبت کرده (درخواست‌کننده جایگزین می‌شود): ۱',
    fr: "Tickets qu'elle a ouverts (le demandeur est remplacé) : 1",
  },
  erased: {
    en: 'is erased and shown as former-user-',
    fa: 'پاک شد و از این پس با نام',
    fr: 'est effacé et apparaît désormais comme',
  },
} as const;

/**
 * Admin → Privacy in Chromium, as a tenant's admin: they set how long attachments are kept and
 * read what the retention job would remove; they download a person's data, read what erasing
 * them would change, erase them and are told their new name — on a phone and a desktop, in
 * English, Persian and French, with nothing wider than the screen.
 */
describe('privacy page', () => {
  let t: TestHub;
  let db: Database;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    await fs.mkdir(shots, { recursive: true });
    t = await startTestHub();
    db = connectDatabase(t.databaseUrl, { min: 0, max: 1 });
    const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug: 'tabriz',
      name: 'Tabriz Trading',
    });
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'tabriz-hq',
      name: 'Tabriz head office',
      tenant: 'tabriz',
    });
    const user = (username: string, role: string, branchIds?: string[]) =>
      t.api.post('/api/v1/users', {
        username,
        password: PASSWORD,
        role,
        tenantId: tenant.id,
        ...(branchIds ? { branchIds } : {}),
      });
    await user('tabriz-admin', 'tenant_admin');
    // One person to erase per size and language, each with a session and a ticket they filed.
    for (const width of [390, 1440])
      for (const language of LANGUAGES) {
        const name = `clerk-${width}-${language}`;
        await user(name, 'support_agent', [branch.id]);
        const api = new ApiClient(t.api.baseUrl);
        await api.login(name, PASSWORD);
        await api.post('/api/v1/tickets', {
          subject: `Printer jammed, called by ${name}`,
          body: 'paper stuck',
          branchId: branch.id,
        });
      }
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
    it(`sets retention and erases a person at ${width} px in three languages`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await signIn(page, `${t.api.baseUrl}/admin/privacy`, 'tabriz-admin', PASSWORD);
      for (const language of LANGUAGES) {
        await chooseLanguage(page, language);
        await db('retention_policies').delete();
        await page.reload();
        const dryRun = page.getByTestId('retention-dry-run');
        await expect.poll(() => textOf(dryRun), WAIT).toContain(READS.attachmentsKept[language]);

        await page.getByTestId('retention-attachmentsDays').fill('7');
        await page.getByTestId('retention-save').click();
        await page.getByTestId('retention-saved').waitFor(WAIT);
        await expect.poll(() => textOf(dryRun), WAIT).toContain(READS.attachmentsAfter[language]);

        const name = `clerk-${width}-${language}`;
        const pick = page.getByTestId('person-pick');
        await pick.selectOption({ label: name });
        if (width === 1440 && language === 'en') {
          const download = page.waitForEvent('download');
          await page.getByTestId('person-export').click();
          const file = await (await download).path();
          const data = JSON.parse(await fs.readFile(file, 'utf8')) as {
            account: { username: string };
            ticketsFiled: { subject: string }[];
          };
          expect(data.account.username).toBe(name);
          expect(data.ticketsFiled.map((x) => x.subject)).toEqual([
            `Printer jammed, called by ${name}`,
          ]);
        }
        await page.getByTestId('person-preview').click();
        const will = page.getByTestId('person-dry-run');
        await will.waitFor(WAIT);
        expect(await textOf(will)).toContain(READS.sessions[language]);
        expect(await textOf(will)).toContain(READS.filed[language]);
        await page.screenshot({
          path: path.join(shots, `admin-privacy-${width}-${language}.png`),
          fullPage: true,
        });
        await page.getByTestId('person-erase').click();
        await page.getByTestId('person-erase-dialog').getByTestId('confirm-action').click();
        await expect
          .poll(() => textOf(page.getByTestId('person-done')), WAIT)
          .toContain(READS.erased[language]);
        expect(await textOf(page.getByTestId('person-done'))).toContain(name);
        const subject = await db('tickets')
          .where('subject', 'like', `Printer jammed, called by %`)
          .whereNot('subject', 'like', '%clerk-%')
          .pluck('subject');
        expect(
          subject.some((s: string) => s.startsWith('Printer jammed, called by former-user-')),
        ).toBe(true);
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
          path: path.join(shots, `admin-privacy-${width}-${language}-erased.png`),
          fullPage: true,
        });
      }
      await page.close();
    }, 300_000);
  }
});
