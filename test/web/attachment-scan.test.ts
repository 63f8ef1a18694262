import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicarTestFile, startClamd, type Clamd } from '../peers/clamd.js';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  noHorizontalOverflow,
  screenshotDir as shots,
  signIn,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';

/**
 * A support agent attaches a file that Debian's clamd finds infected (the EICAR test file,
 * assembled at run time): the ticket page says so in the reader's language, at a phone's size
 * and a desktop's, and the file is not listed. Needs a web build (BW_TEST_WEB_DIR or web/dist).
 */
const SAYS = {
  en: /^The malware scanner found Branchwatch\.Test\.EICAR\S* in this file, so it was not attached\.$/,
  // Persian isolates the signature's name (U+2068 … U+2069), so it reads left to right.
  fa: /^پویشگر بدافزار در این پرونده \u2068Branchwatch\.Test\.EICAR[^\s\u2069]*\u2069 یافت؛ بنابراین پیوست نشد\.$/,
  fr: /^L'antivirus a trouvé Branchwatch\.Test\.EICAR\S* dans ce fichier : il n'a pas été joint\.$/,
} as const;

let clamd: Clamd;
let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let ticketId: string;

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  clamd = await startClamd();
  t = await startTestHub({ BW_CLAMD_SOCKET: clamd.address });
  const branch = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'shiraz',
    name: 'Shiraz',
  });
  ticketId = (
    await t.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'Invoice printer offline',
      body: 'The customer sent a file.',
      priority: 'normal',
      branchId: branch.branch.id,
    })
  ).ticket.id;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await clamd?.stop();
});

describe('an infected attachment', () => {
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`is refused with a message in the reader's language (${size.name}, ${language})`, async () => {
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: size.width, height: size.height });
        await signIn(page, `${t.api.baseUrl}/tickets/${ticketId}`);
        await chooseLanguage(page, language);
        const panel = page.getByTestId('attachments');
        await panel.waitFor();
        await panel.locator('input[type=file]').setInputFiles({
          name: 'invoice.txt',
          mimeType: 'text/plain',
          buffer: eicarTestFile(),
        });
        const alert = panel.getByRole('alert');
        await alert.waitFor({ timeout: 30_000 });
        await alert.scrollIntoViewIfNeeded();
        const text = (await alert.innerText()).split('\n').map((l) => l.trim());
        expect(text.some((line) => SAYS[language].test(line))).toBe(true);
        expect(await panel.getByTestId('attachment').count()).toBe(0);
        await noHorizontalOverflow(page);
        await page.screenshot({
          path: path.join(shots, `attachment-infected-${size.name}-${language}.png`),
        });
        await page.close();
      });
});
