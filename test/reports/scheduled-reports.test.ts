import { execFileSync } from 'node:child_process';
import type net from 'node:net';
import ExcelJS from 'exceljs';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMail, type ParsedMail } from '../../hub/src/notify/mail-in/parse-mail.js';
import { waitFor } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';

// Scheduled reports (docs/reports.md "Scheduled reports"): the tenant's dashboard mailed as PDF
// and Excel through the hub's mail channel to a real SMTP server on loopback, on a recurrence in
// the tenant's zone and calendar; the attachments are read back (pdftotext, exceljs).
let t: TestHub;
let smtp: SMTPServer;
const mails: { to: string[]; mail: ParsedMail }[] = [];
let branchId: string;

interface Schedule {
  id: string;
  nextAt: string;
  lastSentAt: string | null;
}

const pdfText = (bytes: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes, encoding: 'utf8' }).replace(
    /[\u200c\u200e\u200f\u202a-\u202e]/g,
    '',
  );

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      parseMail(stream)
        .then((mail) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  t = await startTestHub({
    BW_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as net.AddressInfo).port}`,
    BW_SMTP_FROM: 'Branchwatch <noc@branchwatch.test>',
    BW_NOTIFY_POLL_MS: '100',
  });
  branchId = (
    await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'mashhad-1',
      name: 'مشهد ۱',
    })
  ).branch.id;
  await t.api.post('/api/v1/tickets', {
    subject: 'چاپگر کار نمی‌کند',
    body: 'x',
    branchId,
    priority: 'high',
  });
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

describe('scheduled reports', () => {
  let tenantId: string;

  it('refuses a schedule without recipients, naming the field', async () => {
    tenantId = (await t.api.get<{ items: { id: string }[] }>('/api/v1/tenants')).items[0]!.id;
    const res = await t.api.request('POST', '/api/v1/reports/schedules', {
      tenantId,
      name: 'Weekly',
      frequency: 'weekly',
      hour: 7,
      timeZone: 'Asia/Tehran',
      language: 'fa',
      formats: ['pdf'],
      recipients: [],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('recipients');
  });

  it('mails the Persian dashboard as PDF and Excel on the first of the Jalali month, once', async () => {
    const { schedule } = await t.api.post<{ schedule: Schedule }>('/api/v1/reports/schedules', {
      tenantId,
      name: 'گزارش ماهانه',
      branchId,
      frequency: 'monthly',
      calendar: 'persian',
      hour: 7,
      timeZone: 'Asia/Tehran',
      language: 'fa',
      formats: ['pdf', 'xlsx'],
      recipients: ['manager@branchwatch.test', 'noc@branchwatch.test'],
    });
    // 07:00 in Tehran on the first day of the next Persian month.
    const next = new Date(schedule.nextAt);
    const day = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
      timeZone: 'Asia/Tehran',
      day: 'numeric',
      hour: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(next);
    expect(day.find((p) => p.type === 'day')!.value).toBe('1');
    expect(day.find((p) => p.type === 'hour')!.value).toBe('07');

    // Before it is due: nothing. When due, twice (two hubs' sweeps): one mail each.
    expect(await t.hub.reportSchedules.sweep(new Date(next.getTime() - 60_000))).toBe(0);
    expect(await t.hub.reportSchedules.sweep(next)).toBe(1);
    expect(await t.hub.reportSchedules.sweep(new Date(next.getTime() + 30_000))).toBe(0);
    const got = await waitFor('both mails', async () =>
      mails.filter((m) => m.mail.subject?.startsWith('گزارش ماهانه')).length === 2
        ? mails.filter((m) => m.mail.subject?.startsWith('گزارش ماهانه'))
        : undefined,
    );
    expect(got.flatMap((m) => m.to).sort()).toEqual([
      'manager@branchwatch.test',
      'noc@branchwatch.test',
    ]);
    const mail = got[0]!.mail;
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      'گزارش ماهانه.pdf',
      'گزارش ماهانه.xlsx',
    ]);
    const text = pdfText(mail.attachments[0]!.content);
    expect(text).toContain('گزارش پشتیبانی');
    expect(text).toContain('مشهد ۱');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(mail.attachments[1]!.content as never);
    expect(book.worksheets[0]!.views[0]?.rightToLeft).toBe(true);
    expect(String(book.worksheets[0]!.getRow(1).getCell(1).value)).toBe('گزارش پشتیبانی');

    const after = await t.api.get<{ items: Schedule[] }>('/api/v1/reports/schedules');
    const saved = after.items.find((s) => s.id === schedule.id)!;
    expect(saved.lastSentAt).toBe(next.toISOString());
    expect(new Date(saved.nextAt).getTime()).toBeGreaterThan(next.getTime() + 28 * 86_400_000);
  });

  it('sends now to try, in English as PDF', async () => {
    const { schedule } = await t.api.post<{ schedule: Schedule }>('/api/v1/reports/schedules', {
      tenantId,
      name: 'Daily desk report',
      frequency: 'daily',
      hour: 8,
      timeZone: 'Europe/Paris',
      language: 'en',
      formats: ['pdf'],
      recipients: ['lead@branchwatch.test'],
    });
    const sent = await t.api.post<{ queued: number }>(
      `/api/v1/reports/schedules/${schedule.id}/send`,
      {},
    );
    expect(sent.queued).toBe(1);
    const mail = await waitFor('the mail', async () =>
      mails.find((m) => m.to.includes('lead@branchwatch.test')),
    );
    expect(mail.mail.subject).toMatch(/^Daily desk report — /);
    const text = pdfText(mail.mail.attachments[0]!.content);
    expect(text).toContain('Helpdesk report');
    expect(text).toContain('Tickets by status');
  });
});
