import type { Logger } from '../../core/logger.js';
import type { TicketConversationService } from '../../helpdesk/ticket-conversation.service.js';
import type { TicketService } from '../../helpdesk/ticket.service.js';
import type { RouteAccess } from '../../identity/access.js';
import type { SessionUser } from '../../http/request-state.js';
import { readerOf, type ArticleService } from '../../knowledge/article.service.js';
import type { AuditService } from '../../identity/audit/audit.service.js';
import { SlidingWindowLimiter } from '../../identity/rate-limit.js';
import type { NotifyRepository } from '../notify.repository.js';
import { TelegramApiError, type BotApi, type TelegramUpdate } from './bot-api.js';
import { parseCommand, type BotCommand } from './bot-commands.js';
import { hashLinkCode, normalizeLinkCode } from './link-code.js';

const HELP =
  'Commands: /ack N (take ticket N), /comment N text, /resolve N, /kb words (search the knowledge base). ' +
  'To link your Telegram account, send /link CODE with the code from My settings in Branchwatch.';
const NOT_LINKED =
  'This Telegram account is not linked to a Branchwatch user. ' +
  'Get a code under My settings in Branchwatch and send /link CODE here.';

/**
 * Which route each ticket command does the work of: the command is checked against that
 * route's permission (identity/route-permissions.ts) and runs in the user's database scope,
 * exactly as the REST request would (identity/access.ts `RouteAccess`).
 */
const ROUTE_OF = {
  ack: 'PATCH /api/v1/tickets/:id',
  resolve: 'PATCH /api/v1/tickets/:id',
  comment: 'POST /api/v1/tickets/:id/replies',
  kb: 'GET /api/v1/knowledge/search',
} as const;

// Articles a /kb answer lists: a chat message, not a page.
const KB_ANSWERS = 5;

// Failed link codes per Telegram account: a code has 40 bits, this keeps guessing pointless.
const LINK_FAILURES = 10;
const LINK_WINDOW_MS = 10 * 60_000;

/**
 * Long-polls getUpdates (https://core.telegram.org/bots/api#getupdates) and acts on tickets
 * as the hub user whose Telegram account sent the command, once linked by proof
 * (docs/security.md "Telegram linking"). The offset confirms updates, so each command is
 * carried out once even across restarts of the poll.
 */
export class TelegramBot {
  private offset = 0;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly linkFailures = new SlidingWindowLimiter(LINK_FAILURES, LINK_WINDOW_MS, 10_000);

  constructor(
    private readonly api: BotApi,
    private readonly pollSeconds: number,
    private readonly deps: {
      prefs: NotifyRepository;
      routes: RouteAccess;
      tickets: TicketService;
      conversation: TicketConversationService;
      audit?: AuditService;
      knowledge?: ArticleService;
    },
    private readonly logger: Logger,
    /** The web UI's address, for links to articles; absent: titles only. */
    private readonly webUrl?: string,
  ) {}

  start(): void {
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const updates = await this.api.getUpdates(this.offset, this.pollSeconds, this.abort.signal);
        for (const update of updates) {
          this.offset = Math.max(this.offset, update.update_id + 1);
          await this.handle(update);
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        // 409: a webhook is still registered (webhook mode before). This hub is configured to
        // poll (no BW_TELEGRAM_WEBHOOK_URL), so it takes the updates back.
        if (err instanceof TelegramApiError && err.status === 409) {
          this.logger.warn('Telegram has a webhook set for this bot; deleting it to poll');
          const deleted = await this.api.deleteWebhook(this.abort.signal).catch(() => false);
          if (deleted) continue;
        }
        this.logger.warn({ err }, 'Telegram getUpdates failed; retrying in 5 s');
        await sleep(5000, this.abort.signal);
      }
    }
  }

  async handle(update: TelegramUpdate): Promise<void> {
    const msg = update.message;
    if (!msg?.text || !msg.from) return;
    const command = parseCommand(msg.text);
    if (!command) return;
    const reply = await this.run(command, msg.from.id, msg.chat).catch(
      (err: Error & { expose?: boolean; status?: number }) => {
        if (!err.expose) this.logger.error({ err }, 'Telegram command failed');
        return err.expose ? capitalized(err.message) : 'Something went wrong.';
      },
    );
    await this.api.sendMessage(msg.chat.id, reply).catch((err: unknown) => {
      this.logger.warn({ err }, 'Telegram reply failed');
    });
  }

  private async run(
    command: BotCommand,
    fromId: number,
    chat: { id: number; type: string },
  ): Promise<string> {
    if (command.command === 'help') return HELP;
    if (command.command === 'link') return this.link(command.code, fromId, chat);
    const user = await this.deps.prefs.byTelegramUser(String(fromId));
    if (!user) return NOT_LINKED;
    if (command.command === 'kb') return this.searchKnowledge(user, command.words);
    const number = command.ticket;
    return this.deps.routes.run(user, ROUTE_OF[command.command], { ip: null }, async () => {
      // Looked up under the user's row-level security: another tenant's or branch's ticket
      // is as absent as one that does not exist.
      const ticket = await this.deps.tickets.byNumber(number, user.tenantId);
      switch (command.command) {
        case 'ack':
          await this.deps.tickets.change(ticket.id, user, {
            assigneeId: user.id,
            state: 'in_progress',
          });
          return `Ticket #${number} is yours (in progress).`;
        case 'resolve':
          await this.deps.tickets.change(ticket.id, user, { state: 'resolved' });
          return `Ticket #${number} resolved.`;
        case 'comment':
          await this.deps.conversation.reply(ticket.id, user, {
            body: command.text,
            visibility: 'internal',
          });
          return `Comment added to ticket #${number}.`;
      }
    });
  }

  /**
   * `/kb words`: the best articles the user may read, through the search route's permission
   * and the user's scope, exactly as the REST search (knowledge/article.service.ts).
   */
  private async searchKnowledge(user: SessionUser, words: string): Promise<string> {
    const knowledge = this.deps.knowledge;
    if (!knowledge) return 'The knowledge base is not available here.';
    return this.deps.routes.run(user, ROUTE_OF.kb, { ip: null }, async (access) => {
      const hits = await knowledge.search(user, readerOf(user, access), words, 'en', KB_ANSWERS);
      if (hits.length === 0) return `No article found for “${words}”.`;
      const lines = hits.map((h, i) => {
        const link = this.webUrl
          ? ` ${this.webUrl.replace(/\/+$/, '')}/knowledge/${h.article.id}`
          : '';
        return `${i + 1}. ${h.title}${link}`;
      });
      return [`Articles for “${words}”:`, ...lines].join('\n');
    });
  }

  /**
   * `/link CODE`: only in the private chat with the bot, so the code is not shown to a group
   * and the chat recorded for notifications is the person's own.
   */
  private async link(typed: string, fromId: number, chat: { id: number; type: string }) {
    if (chat.type !== 'private')
      return 'Send /link CODE in a private chat with this bot, not in a group.';
    const key = String(fromId);
    if (this.linkFailures.retryAfterMs(key) > 0)
      return 'Too many wrong codes; wait a few minutes and try again.';
    const code = normalizeLinkCode(typed);
    const linked = code
      ? await this.deps.prefs.redeemTelegramLink(
          hashLinkCode(code),
          key,
          String(chat.id),
          new Date(),
        )
      : undefined;
    if (!linked) {
      this.linkFailures.hit(key);
      return 'That code is unknown, used or expired. Get a new one under My settings in Branchwatch.';
    }
    this.linkFailures.reset(key);
    await this.deps.audit?.record({
      action: 'notify.telegram_linked',
      actor: { id: linked.userId, username: linked.username },
      target: `user:${linked.userId}`,
      tenantId: linked.tenantId,
      details: { telegramUserId: key },
    });
    return `This Telegram account is now linked to the Branchwatch user ${linked.username}.`;
  }
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1) + '.';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
