import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../db/database.js';
import { hashPassword } from '../../identity/password.js';
import { waitFor } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { startDovecot } from '../test-support/dovecot.js';
import {
  EICAR_SIGNATURE,
  eicarTestFile,
  startClamd,
  type Clamd,
} from '../../../../test/peers/clamd.js';

// Mail to ticket through the real hub polling Debian's Dovecot over IMAP on loopback.
let t: TestHub;
let db: Database;
let dovecot: Awaited<ReturnType<typeof startDovecot>>;
let imap: ImapFlow;
let clamd: Clamd;

const mail = (headers: Record<string, string>, body: string) =>
  Object.entries({ Date: new Date().toUTCString(), 'MIME-Version': '1.0', ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n') +
  '\r\n\r\n' +
  body.replace(/\n/g, '\r\n');

const text = (headers: Record<string, string>, body: string) =>
  mail({ 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body);

async function deliver(raw: string): Promise<void> {
  await imap.append('INBOX', raw);
}

const outcome = (messageId: string) =>
  waitFor(`the outcome of ${messageId}`, async () => {
    const row = await db('notify_mail_messages').where({ message_id: messageId }).first();
    return row as { outcome: string; ticket_id: string | null } | undefined;
  });

beforeAll(async () => {
  dovecot = await startDovecot('support', 'imap-password-1');
  // Mail attachments are scanned like uploads (helpdesk/malware/).
  clamd = await startClamd();
  t = await startTestHub({
    BW_CLAMD_SOCKET: clamd.address,
    BW_IMAP_URL: dovecot.url,
    BW_IMAP_POLL_SECONDS: '1',
    BW_IMAP_TICKET_USER: 'helpdesk',
    BW_SMTP_URL: 'smtp://127.0.0.1:9',
    BW_SMTP_FROM: 'Branchwatch <noc@branchwatch.test>',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  const tenantId = (await db('tenants').first('id')).id;
  await db('users').insert({
    username: 'helpdesk',
    role: 'support_agent',
    tenant_id: tenantId,
    password_hash: await hashPassword('password-123'),
  });
  imap = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.port,
    secure: false,
    auth: { user: 'support', pass: 'imap-password-1' },
    logger: false,
  });
  await imap.connect();
}, 120_000);

afterAll(async () => {
  await imap?.logout().catch(() => undefined);
  await db?.destroy();
  await t?.stop();
  await dovecot?.stop();
  await clamd?.stop();
});

describe('mail to ticket', () => {
  let ticket: { id: string; number: number };

  it('opens a ticket from a new mail and keeps its attachment', async () => {
    await deliver(
      mail(
        {
          From: 'Maryam <maryam@customer.test>',
          To: 'support@branchwatch.test',
          Subject: 'Scanner at the counter is broken',
          'Message-ID': '<first@customer.test>',
          'Content-Type': 'multipart/mixed; boundary="b1"',
        },
        [
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The scanner shows error E42 since this morning.',
          '--b1',
          'Content-Type: text/plain; name="scanner.log"',
          'Content-Disposition: attachment; filename="scanner.log"',
          '',
          'E42 feed jam',
          '--b1--',
          '',
        ].join('\n'),
      ),
    );
    const first = await outcome('<first@customer.test>');
    expect(first.outcome).toBe('ticket');
    const row = await db('tickets').where({ id: first.ticket_id }).first();
    ticket = { id: row.id, number: Number(row.number) };
    expect(row.subject).toBe('Scanner at the counter is broken');
    // Who wrote is who asked.
    expect([row.requester_name, row.requester_contact]).toEqual(['Maryam', 'maryam@customer.test']);
    const opened = await db('ticket_events').where({ ticket_id: row.id, kind: 'opened' }).first();
    expect(opened.body).toContain('The scanner shows error E42 since this morning.');
    expect(opened.body).toContain('maryam@customer.test');
    const attachments = await db('ticket_attachments').where({ ticket_id: row.id });
    expect(attachments).toMatchObject([{ name: 'scanner.log', mime_type: 'text/plain', size: 12 }]);
  });

  it('threads replies by In-Reply-To, by our References, then by [#N] in the subject', async () => {
    await deliver(
      text(
        {
          From: 'maryam@customer.test',
          Subject: 'Re: Scanner at the counter is broken',
          'Message-ID': '<second@customer.test>',
          'In-Reply-To': '<first@customer.test>',
        },
        'Now it also beeps.',
      ),
    );
    await deliver(
      text(
        {
          From: 'maryam@customer.test',
          Subject: 'Re: a notification',
          'Message-ID': '<third@customer.test>',
          References: `<ticket-${ticket.id}@branchwatch>`,
        },
        'Replying to your notification.',
      ),
    );
    await deliver(
      text(
        {
          From: 'boss@customer.test',
          Subject: `Fwd: [#${ticket.number}] any news?`,
          'Message-ID': '<fourth@customer.test>',
        },
        'Any news on this one?',
      ),
    );
    for (const id of ['<second@customer.test>', '<third@customer.test>', '<fourth@customer.test>'])
      expect(await outcome(id)).toMatchObject({ outcome: 'reply', ticket_id: ticket.id });
    const replies = await db('ticket_events')
      .where({ ticket_id: ticket.id, kind: 'reply' })
      .orderBy('id')
      .pluck('body');
    expect(replies.map((b: string) => b.split('\n')[0])).toEqual([
      'Now it also beeps.',
      'Replying to your notification.',
      'Any news on this one?',
    ]);
    expect(Number((await db('tickets').count({ n: '*' }))[0]!.n)).toBe(1);
  });

  it('leaves auto-replies, bounces and its own mail alone', async () => {
    await deliver(
      text(
        {
          From: 'maryam@customer.test',
          Subject: 'Out of office',
          'Message-ID': '<ooo@customer.test>',
          'Auto-Submitted': 'auto-replied',
        },
        'I am away until Monday.',
      ),
    );
    await deliver(
      text(
        {
          From: 'someone@customer.test',
          Subject: 'Automatic reply',
          'Message-ID': '<xauto@customer.test>',
          'X-Autoreply': 'yes',
        },
        'Thanks for your mail.',
      ),
    );
    await deliver(
      mail(
        {
          From: 'MAILER-DAEMON@customer.test',
          Subject: 'Undelivered Mail Returned to Sender',
          'Message-ID': '<bounce@customer.test>',
          'Content-Type': 'multipart/report; report-type=delivery-status; boundary="r1"',
        },
        [
          '--r1',
          'Content-Type: text/plain',
          '',
          'Your message could not be delivered.',
          '--r1',
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mx.customer.test',
          '',
          'Final-Recipient: rfc822; nobody@customer.test',
          'Action: failed',
          'Status: 5.1.1',
          '--r1--',
          '',
        ].join('\n'),
      ),
    );
    await deliver(
      text(
        {
          From: 'Branchwatch <noc@branchwatch.test>',
          Subject: `[#${ticket.number}] New reply: Scanner`,
          'Message-ID': '<ours@branchwatch.test>',
        },
        'A notification that came back.',
      ),
    );
    expect((await outcome('<ooo@customer.test>')).outcome).toBe(
      'ignored: Auto-Submitted: auto-replied',
    );
    expect((await outcome('<xauto@customer.test>')).outcome).toBe('ignored: X-Autoreply');
    expect((await outcome('<bounce@customer.test>')).outcome).toBe('ignored: multipart/report');
    expect((await outcome('<ours@branchwatch.test>')).outcome).toBe('ignored: loop');
    expect(Number((await db('tickets').count({ n: '*' }))[0]!.n)).toBe(1);
    const replies = await db('ticket_events').where({ ticket_id: ticket.id, kind: 'reply' });
    expect(replies).toHaveLength(3);
    // Every mail was marked seen: a later poll does not read it again.
    const status = await imap.status('INBOX', { unseen: true, messages: true });
    expect(status).toMatchObject({ messages: 8, unseen: 0 });
  });

  it('keeps the clean attachments of a mail and refuses an infected one, with a note and an audit entry', async () => {
    await deliver(
      mail(
        {
          From: 'Reza <reza@customer.test>',
          Subject: 'Invoice and router log',
          'Message-ID': '<infected@customer.test>',
          'Content-Type': 'multipart/mixed; boundary="v1"',
        },
        [
          '--v1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Please see the files.',
          '--v1',
          'Content-Type: text/plain; name="router.log"',
          'Content-Disposition: attachment; filename="router.log"',
          '',
          'wan down 10:02',
          '--v1',
          'Content-Type: text/plain; name="invoice.txt"',
          'Content-Disposition: attachment; filename="invoice.txt"',
          'Content-Transfer-Encoding: base64',
          '',
          eicarTestFile().toString('base64'),
          '--v1--',
          '',
        ].join('\n'),
      ),
    );
    const filed = await outcome('<infected@customer.test>');
    expect(filed.outcome).toBe('ticket');
    const names = await db('ticket_attachments')
      .where({ ticket_id: filed.ticket_id })
      .pluck('name');
    expect(names).toEqual(['router.log']);
    const note = await db('ticket_events')
      .where({ ticket_id: filed.ticket_id, kind: 'note' })
      .first();
    expect(note.body).toMatch(
      new RegExp(
        `^The attachment invoice\\.txt was not kept: the malware scanner found ${EICAR_SIGNATURE}`,
      ),
    );
    const entry = await db('audit_log').where({ action: 'attachment.infected' }).first();
    expect(entry).toMatchObject({ actor: 'helpdesk', target: 'mail:<infected@customer.test>' });
    expect(entry.details).toMatchObject({ name: 'invoice.txt', via: 'mail' });
  });

  it('leaves a mail with attachments unread while the scanner is down, filing nothing', async () => {
    await clamd.stop();
    const before = Number((await db('tickets').count({ n: '*' }))[0]!.n);
    await deliver(
      mail(
        {
          From: 'reza@customer.test',
          Subject: 'Another log',
          'Message-ID': '<unscanned@customer.test>',
          'Content-Type': 'multipart/mixed; boundary="u1"',
        },
        [
          '--u1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'One more.',
          '--u1',
          'Content-Type: text/plain; name="more.log"',
          'Content-Disposition: attachment; filename="more.log"',
          '',
          'wan down 11:40',
          '--u1--',
          '',
        ].join('\n'),
      ),
    );
    // Three polls (one a second) that each fail on the scanner.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(
      await db('notify_mail_messages').where({ message_id: '<unscanned@customer.test>' }),
    ).toEqual([]);
    expect(Number((await db('tickets').count({ n: '*' }))[0]!.n)).toBe(before);
    expect(await imap.status('INBOX', { unseen: true })).toMatchObject({ unseen: 1 });
  });
});
