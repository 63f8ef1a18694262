import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger } from '../../core/logger.js';
import type { TicketConversationService } from '../../helpdesk/ticket-conversation.service.js';
import type { TicketService } from '../../helpdesk/ticket.service.js';
import type { AttachmentScanner } from '../../helpdesk/malware/attachment-scanner.js';
import type { ApiError } from '../../http/errors.js';
import type { NotifySourceRepository } from '../notify-source.repository.js';
import { automaticReason, threadIds, ticketNumberIn } from './classify.js';
import type { MailTicketRepository } from './mail-ticket.repository.js';
import { parseMail, type ParsedMail } from './parse-mail.js';
import type { SessionUser } from '../../http/request-state.js';

export interface MailInSettings {
  /** imap://user:password@host:143 or imaps://…:993 */
  url: string;
  mailbox: string;
  pollSeconds: number;
  /** Hub user that mail from unknown senders is filed as. */
  ticketUser: string;
  /** Our own From address: mail from it is a loop. */
  ownAddress: string | undefined;
}

export type MailOutcome = 'ticket' | 'reply' | 'duplicate' | `ignored: ${string}`;

const OUR_MESSAGE_ID = /^<ticket-([0-9a-f-]{36})@branchwatch>$/;

/**
 * Mail to ticket: polls an IMAP mailbox for unseen mail; a new mail opens a ticket, a reply
 * joins its ticket (In-Reply-To/References, then `[#N]` in the subject), attachments are kept;
 * automatic replies, bounces and our own mail are recognised and left alone.
 */
export class MailToTicket {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly settings: MailInSettings,
    private readonly deps: {
      mail: MailTicketRepository;
      source: NotifySourceRepository;
      tickets: TicketService;
      conversation: TicketConversationService;
      /** Scans each attachment before the mail is filed (helpdesk/malware/). */
      scanner: AttachmentScanner;
    },
    private readonly logger: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.poll()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'IMAP poll failed'))
        .finally(() => {
          this.timer = setTimeout(tick, this.settings.pollSeconds * 1000);
          this.timer.unref();
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
    clearTimeout(this.timer);
  }

  /** One pass over the unseen mail; each is marked seen once handled. */
  async poll(): Promise<MailOutcome[]> {
    const url = new URL(this.settings.url);
    // Loaded on first use: most hubs take no mail (docs/benchmarks.md, "Time to chart and
    // the idle hub").
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'imaps:' ? 993 : 143),
      secure: url.protocol === 'imaps:',
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      logger: false,
    });
    await client.connect();
    const outcomes: MailOutcome[] = [];
    try {
      const lock = await client.getMailboxLock(this.settings.mailbox);
      try {
        const unseen: { uid: number; source: Buffer }[] = [];
        for await (const m of client.fetch(
          { seen: false },
          { uid: true, source: true },
          { uid: true },
        ))
          if (m.source) unseen.push({ uid: m.uid, source: m.source });
        for (const { uid, source } of unseen.slice(0, 500)) {
          outcomes.push(await this.handle(source));
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return outcomes;
  }

  async handle(raw: Buffer): Promise<MailOutcome> {
    const mail = await parseMail(raw);
    const messageId = mail.messageId ?? `<${createHash('sha256').update(raw).digest('hex')}@hash>`;
    if (await this.deps.mail.seen(messageId)) return 'duplicate';
    const outcome = await this.file(mail);
    await this.deps.mail.remember(messageId, outcome.ticketId ?? null, outcome.outcome);
    this.logger.info({ messageId, outcome: outcome.outcome }, 'mail handled');
    return outcome.outcome;
  }

  private async file(mail: ParsedMail): Promise<{ outcome: MailOutcome; ticketId?: string }> {
    const from = mail.from?.value[0]?.address?.toLowerCase();
    // Loop prevention: our own notifications coming back (forwarded, or a mailbox that also
    // receives them) never become tickets or replies.
    if (
      !from ||
      from === this.settings.ownAddress?.toLowerCase() ||
      mail.headers.has('x-branchwatch-event')
    )
      return { outcome: 'ignored: loop' };
    const automatic = automaticReason(mail);
    if (automatic) return { outcome: `ignored: ${automatic}` };
    const user = ((await this.deps.mail.userByEmail(from)) ??
      (await this.deps.mail.userByName(this.settings.ticketUser))) as SessionUser | undefined;
    if (!user) return { outcome: 'ignored: no user to file it as' };
    // Scanned before anything is filed: while the scanner is down this throws, and the mail
    // stays unseen and is tried again at the next poll, with no ticket half made.
    const refused = await this.infected(mail, user);
    const body = `${mail.text?.trim() || '(no text)'}\n\n— ${mail.from?.text ?? from}`;
    const existing = await this.threadOf(mail);
    let ticketId: string;
    let outcome: MailOutcome;
    if (existing) {
      await this.deps.conversation.reply(existing, user, { body, visibility: 'public' });
      [ticketId, outcome] = [existing, 'reply'];
    } else {
      const ticket = await this.deps.tickets.open(user, {
        subject: (mail.subject ?? '(no subject)').slice(0, 200),
        body,
        priority: 'normal',
        category: null,
        branchId: null,
        groupId: null,
        assigneeId: null,
        // Who wrote is who asked.
        requesterName: (mail.from?.value[0]?.name || from).slice(0, 200),
        requesterContact: from.slice(0, 200),
      });
      [ticketId, outcome] = [ticket.id, 'ticket'];
    }
    for (const [a, signature] of refused) {
      await this.deps.conversation.reply(ticketId, user, {
        body: `The attachment ${a.filename ?? 'attachment'} was not kept: the malware scanner found ${signature} in it.`,
        visibility: 'internal',
      });
    }
    for (const a of mail.attachments) {
      if (refused.has(a)) continue;
      await this.deps.conversation
        .attach(ticketId, user, {
          name: a.filename ?? 'attachment',
          mimeType: a.contentType,
          source: { open: () => Readable.from([a.content]), declaredSize: a.size },
        })
        .catch((err: Error) =>
          this.logger.warn({ err: err.message, name: a.filename }, 'mail attachment refused'),
        );
    }
    return { outcome, ticketId };
  }

  /** The attachments the scanner refused, with the signature found; audited by the scanner. */
  private async infected(mail: ParsedMail, user: SessionUser) {
    const refused = new Map<ParsedMail['attachments'][number], string>();
    for (const a of mail.attachments) {
      try {
        await this.deps.scanner.check(
          { open: () => Readable.from([a.content]) },
          {
            actor: { id: user.id, username: user.username },
            tenantId: user.tenantId,
            target: `mail:${mail.messageId ?? 'without Message-ID'}`,
            name: a.filename ?? 'attachment',
            via: 'mail',
          },
        );
      } catch (err) {
        if ((err as ApiError).code !== 'BW_ERR_ATTACHMENT_INFECTED') throw err;
        refused.set(a, ((err as ApiError).details as { signature: string }).signature);
      }
    }
    return refused;
  }

  /** Threads by In-Reply-To/References (ours or remembered), then by `[#N]` in the subject. */
  private async threadOf(mail: ParsedMail): Promise<string | undefined> {
    const ids = threadIds(mail);
    for (const id of ids) {
      const ours = OUR_MESSAGE_ID.exec(id);
      if (ours && (await this.deps.source.ticketExists(ours[1]!))) return ours[1];
    }
    const remembered = await this.deps.mail.ticketOf(ids);
    if (remembered) return remembered;
    const number = ticketNumberIn(mail.subject);
    return number === undefined ? undefined : this.deps.source.ticketIdByNumber(number);
  }
}
