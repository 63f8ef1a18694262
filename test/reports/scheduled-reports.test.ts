import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startSmtpReceiver } from '../support/smtp.js';

// Scheduled reports (docs/reports.md "Scheduled reports"): the tenant's dashboard mailed as PDF
// and Excel through the hub's mail channel to a real SMTP server on loopback, on a recurrence in
// the tenant's zone and calendar; the attachments are read back (pdftotext, exceljs).
let t: TestHub;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
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
  smtp = await startSmtpReceiver({ refuse: ['gone@branchwatch.test'] });
  t = await startTestHub({
    BW_SMTP_URL: smtp.url,
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
  await smtp?.close();
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
      smtp.mails.filter((m) => m.mail.subject?.startsWith('گزارش ماهانه')).length === 2
        ? smtp.mails.filter((m) => m.mail.subject?.startsWith('گزارش ماهانه'))
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
      smtp.mails.find((m) => m.to.includes('lead@branchwatch.test')),
    );
    expect(mail.mail.subject).toMatch(/^Daily desk report — /);
    const text = pdfText(mail.mail.attachments[0]!.content);
    expect(text).toContain('Helpdesk report');
    expect(text).toContain('Tickets by status');

    // The delivery log lists the file without its content; the file is read on its own route.
    const log = await t.api.get<{
      items: {
        id: string;
        address: string;
        message: Record<string, unknown>;
        attachments: { filename: string; contentType: string; bytes: number }[];
      }[];
    }>('/api/v1/notify/deliveries?channel=email');
    const entry = log.items.find((d) => d.address === 'lead@branchwatch.test')!;
    expect(JSON.stringify(log)).not.toContain('base64');
    expect(entry.message).not.toHaveProperty('attachments');
    expect(entry.attachments).toEqual([
      {
        filename: 'Daily desk report.pdf',
        contentType: 'application/pdf',
        bytes: mail.mail.attachments[0]!.content.length,
      },
    ]);
    const file = await fetch(
      `${t.api.baseUrl}/api/v1/notify/deliveries/${entry.id}/attachments/0`,
      {
        headers: { authorization: `Bearer ${(t.api as unknown as { token: string }).token}` },
      },
    );
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain('Daily desk report.pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(mail.mail.attachments[0]!.content)).toBe(
      true,
    );
    const missing = await t.api.request(
      'GET',
      `/api/v1/notify/deliveries/${entry.id}/attachments/1`,
    );
    expect(missing.status).toBe(404);

    const listed = await waitFor('the sent mail in the schedule', async () => {
      const items = (
        await t.api.get<{ items: (Schedule & { lastDelivery: unknown })[] }>(
          '/api/v1/reports/schedules',
        )
      ).items;
      const s = items.find((x) => x.id === schedule.id)!;
      return (s.lastDelivery as { sent: number } | null)?.sent === 1 ? s : undefined;
    });
    expect(listed.lastDelivery).toMatchObject({ sent: 1, waiting: 0, failed: [] });
  });

  it('says in the schedule why a recipient did not get the mail', async () => {
    const { schedule } = await t.api.post<{ schedule: Schedule }>('/api/v1/reports/schedules', {
      tenantId,
      name: 'Weekly to an old list',
      frequency: 'weekly',
      weekday: 1,
      hour: 9,
      timeZone: 'Europe/Paris',
      language: 'fr',
      formats: ['csv'],
      recipients: ['gone@branchwatch.test', 'desk@branchwatch.test'],
    });
    await t.api.post(`/api/v1/reports/schedules/${schedule.id}/send`, {});
    const s = await waitFor('the failure in the schedule', async () => {
      const items = (
        await t.api.get<{ items: (Schedule & { lastDelivery: unknown })[] }>(
          '/api/v1/reports/schedules',
        )
      ).items;
      const found = items.find((x) => x.id === schedule.id)!;
      const d = found.lastDelivery as { sent: number; failed: unknown[] } | null;
      return d && d.sent === 1 && d.failed.length === 1 ? d : undefined;
    });
    expect(s.failed).toEqual([
      {
        address: 'gone@branchwatch.test',
        final: true,
        reason: 'other',
        error: expect.stringContaining('no such mailbox'),
      },
    ]);
  });
});
