import type { Logger } from '../../core/logger.js';
import type { TicketConversationService } from '../../helpdesk/ticket-conversation.service.js';
import type { TicketService } from '../../helpdesk/ticket.service.js';
import type { NotifyRepository } from '../notify.repository.js';
import type { NotifySourceRepository } from '../notify-source.repository.js';
import { TelegramApiError, type BotApi, type TelegramUpdate } from './bot-api.js';
import { parseCommand, type BotCommand } from './bot-commands.js';
import type { SessionUser } from '../../http/request-state.js';

const HELP = 'Commands: /ack N (take ticket N), /comment N text, /resolve N';

/**
 * Long-polls getUpdates (https://core.telegram.org/bots/api#getupdates) and acts on tickets
 * as the hub user whose preferences hold the sender's Telegram user id. The offset confirms
 * updates, so each command is carried out once even across restarts of the poll.
 */
export class TelegramBot {
  private offset = 0;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly api: BotApi,
    private readonly pollSeconds: number,
    private readonly deps: {
      prefs: NotifyRepository;
      source: NotifySourceRepository;
      tickets: TicketService;
      conversation: TicketConversationService;
    },
    private readonly logger: Logger,
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
    const reply = await this.run(command, String(msg.from.id)).catch(
      (err: Error & { expose?: boolean }) => (err.expose ? err.message : 'Something went wrong.'),
    );
    await this.api.sendMessage(msg.chat.id, reply).catch((err: unknown) => {
      this.logger.warn({ err }, 'Telegram reply failed');
    });
  }

  private async run(command: BotCommand, telegramUserId: string): Promise<string> {
    if (command.command === 'help') return HELP;
    const user = (await this.deps.prefs.byTelegramUser(telegramUserId)) as SessionUser | undefined;
    if (!user) return `Telegram user ${telegramUserId} is not linked to a Branchwatch user.`;
    const id = await this.deps.source.ticketIdByNumber(command.ticket);
    if (!id) return `Ticket #${command.ticket} does not exist.`;
    switch (command.command) {
      case 'ack':
        await this.deps.tickets.change(id, user, { assigneeId: user.id, state: 'in_progress' });
        return `Ticket #${command.ticket} is yours (in progress).`;
      case 'resolve':
        await this.deps.tickets.change(id, user, { state: 'resolved' });
        return `Ticket #${command.ticket} resolved.`;
      case 'comment':
        await this.deps.conversation.reply(id, user, {
          body: command.text,
          visibility: 'internal',
        });
        return `Comment added to ticket #${command.ticket}.`;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
