import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';

// A ticket with its conversation as PDF — the agent's whole conversation with internal notes
// marked, the requester's through the portal with public messages only — and the queue as
// Excel and PDF (docs/reports.md "Exports"). The PDFs are read back with pdftotext and turned
// into pages with pdftoppm (saved beside the browser screenshots, to be looked at).
const PASSWORD = 'exports-password-1';
const pages = process.env.BW_TEST_ARTIFACTS
  ? path.join(process.env.BW_TEST_ARTIFACTS, 'pdf')
  : path.join(os.tmpdir(), 'bw-pdf-pages');
let t: TestHub;
let clerk: ApiClient;
let other: ApiClient;
let ticketId: string;
let ticketNumber: number;

const pdfText = (bytes: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes, encoding: 'utf8' }).replace(
    /[\u200c\u200e\u200f\u202a-\u202e]/g,
    '',
  );

async function file(api: ApiClient, url: string) {
  const res = await fetch(`${t.api.baseUrl}${url}`, {
    headers: { authorization: `Bearer ${(api as unknown as { token: string }).token}` },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** The PDF's first page as a PNG to look at; returns how many pages it has. */
async function pageImages(name: string, pdf: Buffer): Promise<number> {
  await fs.mkdir(pages, { recursive: true });
  const source = path.join(pages, `${name}.pdf`);
  await fs.writeFile(source, pdf);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '70',
    '-f',
    '1',
    '-l',
    '1',
    source,
    path.join(pages, name),
  ]);
  const info = execFileSync('pdfinfo', [source], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}

beforeAll(async () => {
  t = await startTestHub();
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'pars',
    name: 'شرکت پارس',
  });
  const branch = async (slug: string, name: string) =>
    (
      await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
        slug,
        name,
        tenant: 'pars',
      })
    ).branch.id;
  const mashhad = await branch('pars-mashhad', 'مشهد ۱');
  const tabriz = await branch('pars-tabriz', 'تبریز');
  for (const [username, role, branchIds] of [
    ['clerk', 'requester', [mashhad]],
    ['other-clerk', 'requester', [tabriz]],
  ] as const)
    await t.api.post('/api/v1/users', {
      username,
      password: PASSWORD,
      role,
      tenantId: tenant.id,
      branchIds,
    });
  clerk = new ApiClient(t.api.baseUrl);
  await clerk.login('clerk', PASSWORD);
  other = new ApiClient(t.api.baseUrl);
  await other.login('other-clerk', PASSWORD);
  const { ticket } = await clerk.post<{ ticket: { id: string; number: number } }>(
    '/api/v1/portal/tickets',
    {
      subject: 'چاپگر طبقه دوم کاغذ را گیر می‌اندازد',
      body: 'از صبح هر برگه‌ای که چاپ می‌کنیم در دستگاه گیر می‌کند و باید دستی بیرون بکشیم.',
      category: 'hardware',
      branchId: mashhad,
    },
  );
  ticketId = ticket.id;
  ticketNumber = ticket.number;
  await t.api.post(`/api/v1/tickets/${ticketId}/replies`, {
    body: 'INTERNAL-ONLY: the vendor contract ends this month',
    visibility: 'internal',
  });
  await t.api.post(`/api/v1/tickets/${ticketId}/replies`, {
    body: 'درب پشتی را باز کنید و برگه را آرام بیرون بکشید؛ اگر باز هم گیر کرد خبر دهید.',
  });
  for (const [subject, priority] of [
    ['Phones dead at the front desk', 'urgent'],
    ['VPN slow', 'low'],
  ] as const)
    await t.api.post('/api/v1/tickets', { subject, body: 'x', priority, branchId: tabriz });
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('a ticket as PDF', () => {
  it('gives the agent the whole conversation, internal notes marked, in Persian with Jalali dates', async () => {
    const res = await file(
      t.api,
      `/api/v1/tickets/${ticketId}/conversation.pdf?lang=fa&zone=Asia/Tehran`,
    );
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/pdf');
    const text = pdfText(res.body);
    expect(text).toContain('شرکت پارس');
    expect(text).toContain('چاپگر طبقه دوم');
    expect(text).toContain('درب پشتی را باز کنید');
    expect(text).toContain('INTERNAL-ONLY');
    expect(text).toContain('یادداشت داخلی');
    expect(text).toContain('سخت'); // سخت‌افزار, read without its zero-width non-joiner
    expect(text).toContain('افزار');
    // The year in the Jalali calendar, in Persian digits (۱۴۰۵ for late 2026).
    expect(text).toMatch(/۱۴۰[۰-۹]/);
    expect(await pageImages('ticket-agent-fa', res.body)).toBe(1);
  });

  for (const lang of ['en', 'fr'] as const) {
    it(`writes the ticket's words in ${lang}`, async () => {
      const res = await file(t.api, `/api/v1/tickets/${ticketId}/conversation.pdf?lang=${lang}`);
      const text = pdfText(res.body);
      expect(text).toContain(lang === 'en' ? 'Hardware' : 'Matériel');
      expect(text).toContain(lang === 'en' ? 'internal note' : 'note interne');
      expect(text).toContain(`#${ticketNumber}`);
      await pageImages(`ticket-agent-${lang}`, res.body);
    });
  }

  it("gives the requester their own ticket's public messages only", async () => {
    const res = await file(clerk, `/api/v1/portal/tickets/${ticketId}/conversation.pdf?lang=fa`);
    expect(res.status).toBe(200);
    const text = pdfText(res.body);
    expect(text).toContain('درب پشتی را باز کنید');
    expect(text).toContain('از صبح هر برگه');
    expect(text).not.toContain('INTERNAL-ONLY');
    expect(text).not.toContain('یادداشت داخلی');
    await pageImages('ticket-portal-fa', res.body);
    // Another branch's requester, and the desk's route: as if it did not exist, or refused.
    expect((await file(other, `/api/v1/portal/tickets/${ticketId}/conversation.pdf`)).status).toBe(
      404,
    );
    expect((await file(clerk, `/api/v1/tickets/${ticketId}/conversation.pdf`)).status).toBe(403);
  });
});

describe('the queue as Excel and PDF', () => {
  it('holds the filtered tickets, most urgent first, in the reader language', async () => {
    const xlsx = await file(t.api, '/api/v1/reports/queue.xlsx?lang=fr&sort=priority&order=desc');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const sheet = book.worksheets[1]!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'N°',
      'Objet',
      'État',
      'Priorité',
      'Agence',
      'Attribué à',
      'Ouvert le',
    ]);
    expect(sheet.getRow(2).getCell(2).value).toBe('Phones dead at the front desk');
    expect(sheet.getRow(2).getCell(4).value).toBe('urgente');
    expect(sheet.rowCount).toBe(4);

    const pdf = await file(t.api, '/api/v1/reports/queue.pdf?lang=fa&priority=urgent,low');
    const text = pdfText(pdf.body);
    expect(text).toContain('Phones dead at the front desk');
    expect(text).toContain('فوری');
    expect(text).not.toContain('چاپگر طبقه دوم');
    await pageImages('queue-fa', pdf.body);
    const en = (await file(t.api, '/api/v1/reports/queue.pdf?lang=en')).body;
    // Ticket numbers read as they are written on the ticket, without a thousands separator.
    expect(pdfText(en)).toMatch(new RegExp(`(^|\\s)${ticketNumber}\\s`, 'm'));
    expect(pdfText(en)).not.toContain(ticketNumber.toLocaleString('en'));
    await pageImages('queue-en', en);
  });
});
