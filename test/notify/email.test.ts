import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { hashPassword } from '../../hub/src/identity/password.js';
import { ApiClient, waitFor } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startSmtpReceiver, type ReceivedMail } from '../support/smtp.js';

// Email notifications through the real hub to a real SMTP server (smtp-server) on loopback.
let t: TestHub;
let db: Database;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>> | undefined;
let tenantId: string;
let branchId: string;
let mails: ReceivedMail[] = [];
const users: Record<string, { id: string; api: ApiClient }> = {};

async function person(username: string, role: string, preferences: Record<string, unknown>) {
  const [row] = await db('users')
    .insert({
      username,
      role,
      tenant_id: tenantId,
      password_hash: await hashPassword('password-123'),
    })
    .returning('id');
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, 'password-123');
  const res = await api.request('PUT', '/api/v1/notify/preferences', preferences);
  expect(res.status).toBe(200);
  users[username] = { id: row.id, api };
}

const mailsTo = (address: string) => mails.filter((m) => m.to.includes(address));
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  mails = smtp.mails;
  t = await startTestHub({
    BW_SMTP_URL: smtp.url,
    BW_SMTP_FROM: 'Branchwatch <noc@branchwatch.test>',
    BW_NOTIFY_POLL_MS: '100',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  tenantId = (await db('tenants').first('id')).id;
  [{ id: branchId }] = await db('branches')
    .insert({ tenant_id: tenantId, slug: 'isfahan-3', name: 'Isfahan 3' })
    .returning('id');
  await person('lead', 'tenant_admin', {});
  await person('ali', 'support_agent', {
    language: 'fa',
    email: 'ali@branchwatch.test',
    channels: ['email'],
  });
  await person('pierre', 'noc_operator', {
    language: 'fr',
    email: 'pierre@branchwatch.test',
    channels: ['email'],
    events: ['ticket.opened'],
  });
  // Quiet from an hour ago to an hour ahead (UTC): whatever the clock says, it is quiet now.
  const now = Date.now();
  await person('sleepy', 'noc_operator', {
    email: 'sleepy@branchwatch.test',
    channels: ['email'],
    events: ['ticket.opened'],
    quietStart: hhmm(new Date(now - 3_600_000)),
    quietEnd: hhmm(new Date(now + 3_600_000)),
    timeZone: 'UTC',
  });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await smtp?.close();
});

describe('email notifications', () => {
  let ticket: { id: string; number: number };

  it('mails "ticket opened" in each opted-in recipient\'s language', async () => {
    ticket = (
      await users.lead!.api.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
        subject: 'Router down',
        body: 'The branch router does not answer.',
        branchId,
        priority: 'urgent',
      })
    ).ticket;
    const [fr] = await waitFor('the French mail', async () => {
      const got = mailsTo('pierre@branchwatch.test');
      return got.length ? got : undefined;
    });
    expect(fr!.mail.subject).toBe(`[#${ticket.number}] Nouveau ticket : Router down`);
    expect(fr!.mail.text).toContain(
      `Le ticket #${ticket.number} « Router down » a été ouvert à l'agence Isfahan 3.`,
    );
    expect(fr!.mail.text).toContain('The branch router does not answer.');
    expect(fr!.to).toEqual(['pierre@branchwatch.test']);
    expect(fr!.mail.from?.value).toEqual([
      { name: 'Branchwatch', address: 'noc@branchwatch.test' },
    ]);
    expect(fr!.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(fr!.mail.headers.get('content-language')).toBe('fr');
    expect(fr!.mail.references).toBe(`<ticket-${ticket.id}@branchwatch>`);
    // Ali is not concerned yet (neither assignee nor opted in to every opened ticket).
    expect(mailsTo('ali@branchwatch.test')).toHaveLength(0);
  });

  it("defers a mail inside the recipient's quiet hours instead of sending it", async () => {
    const { items } = await users.lead!.api.get<{
      items: { address: string; status: string; nextAttemptAt: string }[];
    }>('/api/v1/notify/deliveries');
    const deferred = items.find((d) => d.address === 'sleepy@branchwatch.test');
    expect(deferred?.status).toBe('pending');
    expect(Date.parse(deferred!.nextAttemptAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(mailsTo('sleepy@branchwatch.test')).toHaveLength(0);
  });

  it("mails the new assignee in Persian, and the assignee only hears of others' replies", async () => {
    const assign = await users.lead!.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, {
      assigneeId: users.ali!.id,
    });
    expect(assign.status).toBe(200);
    const [fa] = await waitFor('the Persian mail', async () => {
      const got = mailsTo('ali@branchwatch.test');
      return got.length ? got : undefined;
    });
    expect(fa!.mail.subject).toBe(`[#${ticket.number}] واگذار شده به ali: Router down`);
    expect(fa!.mail.text?.trim()).toBe(
      `تیکت #${ticket.number} «Router down» اکنون به ali واگذار شده است.`,
    );
    expect(fa!.mail.headers.get('content-language')).toBe('fa');

    await users.ali!.api.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Restarting it now.',
      visibility: 'public',
    });
    await users.lead!.api.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Thanks, the branch confirms.',
      visibility: 'public',
    });
    const reply = await waitFor('the reply mail', async () =>
      mailsTo('ali@branchwatch.test').find((m) => m.mail.subject?.includes('پاسخ جدید')),
    );
    expect(reply.mail.text).toContain('lead به تیکت');
    expect(reply.mail.text).toContain('Thanks, the branch confirms.');
    await new Promise((r) => setTimeout(r, 500));
    // Ali's own reply was not mailed back to Ali.
    expect(mailsTo('ali@branchwatch.test').map((m) => m.mail.subject)).toEqual([
      `[#${ticket.number}] واگذار شده به ali: Router down`,
      `[#${ticket.number}] پاسخ جدید: Router down`,
    ]);
  });
});
