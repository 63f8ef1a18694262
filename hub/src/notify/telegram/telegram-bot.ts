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
import { botWords, languageOfTelegram, refusalOf, type BotWords } from './bot-words.js';
import { languageOr as lang, type Language } from '../channel.js';
import { hashLinkCode, normalizeLinkCode } from './link-code.js';

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
    // In a group, a command the bot does not know may be another bot's: answered only when
    // written to a bot by name.
    if (command.command === 'unknown' && msg.chat.type !== 'private' && !command.addressed) return;
    // A linked person is answered in their notification language; anyone else in the language
    // their Telegram reports (before linking: /link, /start, /help).
    const { from, chat } = msg;
    let language = languageOfTelegram(from.language_code);
    const answer = async () => {
      const linked = await this.deps.prefs.byTelegramUser(String(from.id));
      if (linked) language = lang(linked.language);
      return this.run(command, linked?.user, botWords(language), language, from.id, chat);
    };
    const ticket = 'ticket' in command ? command.ticket : undefined;
    const reply = await answer().catch(
      (err: Error & { expose?: boolean; code?: string; details?: unknown }) => {
        if (err.expose) return refusalOf(botWords(language), language, err, ticket);
        this.logger.error({ err }, 'Telegram command failed');
        return botWords(language).failed;
      },
    );
    await this.api.sendMessage(chat.id, reply).catch((err: unknown) => {
      this.logger.warn({ err }, 'Telegram reply failed');
    });
  }

  /** Carries out the command as `user` (undefined: the sender is not linked). */
  private async run(
    command: BotCommand,
    user: SessionUser | undefined,
    words: BotWords,
    language: Language,
    fromId: number,
    chat: { id: number; type: string },
  ): Promise<string> {
    if (command.command === 'help' || command.command === 'unknown') return words.help;
    if (command.command === 'usage') return words.usage[command.of];
    if (command.command === 'link') return this.link(command.code, fromId, chat, words);
    if (!user) return words.notLinked;
    if (command.command === 'kb') return this.searchKnowledge(user, command.words, words, language);
    const number = command.ticket;
    const ticketNo = words.ticket(number);
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
          return words.taken(ticketNo, words.state('in_progress'));
        case 'resolve':
          await this.deps.tickets.change(ticket.id, user, { state: 'resolved' });
          return words.resolved(ticketNo);
        case 'comment':
          await this.deps.conversation.reply(ticket.id, user, {
            body: command.text,
            visibility: 'internal',
          });
          return words.commented(ticketNo);
      }
    });
  }

  /**
   * `/kb words`: the best articles the user may read, through the search route's permission
   * and the user's scope, exactly as the REST search (knowledge/article.service.ts), in the
   * reader's language: of an article that matches in several languages, the reader's text is
   * the one named.
   */
  private async searchKnowledge(
    user: SessionUser,
    text: string,
    words: BotWords,
    language: Language,
  ): Promise<string> {
    const knowledge = this.deps.knowledge;
    if (!knowledge) return words.kbUnavailable;
    return this.deps.routes.run(user, ROUTE_OF.kb, { ip: null }, async (access) => {
      const hits = await knowledge.search(user, readerOf(user, access), text, language, KB_ANSWERS);
      if (hits.length === 0) return words.kbNone(text);
      const lines = hits.map((h, i) => {
        const link = this.webUrl
          ? ` ${this.webUrl.replace(/\/+$/, '')}/knowledge/${h.article.id}`
          : '';
        return `${words.position(i + 1)} ${h.title}${link}`;
      });
      return [words.kbFound(text), ...lines].join('\n');
    });
  }

  /**
   * `/link CODE`: only in the private chat with the bot, so the code is not shown to a group
   * and the chat recorded for notifications is the person's own. Once linked, the person is
   * answered in their notification language.
   */
  private async link(
    typed: string,
    fromId: number,
    chat: { id: number; type: string },
    words: BotWords,
  ): Promise<string> {
    if (chat.type !== 'private') return words.linkInGroup;
    const key = String(fromId);
    if (this.linkFailures.retryAfterMs(key) > 0) return words.linkTooMany;
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
      return words.linkBadCode;
    }
    this.linkFailures.reset(key);
    await this.deps.audit?.record({
      action: 'notify.telegram_linked',
      actor: { id: linked.userId, username: linked.username },
      target: `user:${linked.userId}`,
      tenantId: linked.tenantId,
      details: { telegramUserId: key },
    });
    return botWords(lang(linked.language)).linked(linked.username);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
