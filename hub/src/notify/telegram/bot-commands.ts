/**
 * Bot commands (docs/notifications.md "Telegram"): `/link CODE` (or `/start CODE`, what a
 * t.me deep link sends) links the sender's account; `/ack 42`, `/comment 42 text…` and
 * `/resolve 42` act on tickets; `/kb words` searches the knowledge base. In groups Telegram appends the bot's name
 * (`/ack@branchwatch_bot 42`); it is ignored.
 */
export type BotCommand =
  | { command: 'ack' | 'resolve'; ticket: number }
  | { command: 'comment'; ticket: number; text: string }
  | { command: 'link'; code: string }
  | { command: 'kb'; words: string }
  | { command: 'help' };

export function parseCommand(text: string): BotCommand | undefined {
  const match = /^\/(\w+)(?:@\w+)?(?:\s+([\s\S]+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, name, args = ''] = match;
  if (name === 'link' || name === 'start') {
    const code = args.trim();
    if (code) return { command: 'link', code };
    return name === 'start' ? { command: 'help' } : undefined;
  }
  if (name === 'kb') {
    // A bare `/kb` (Telegram's command menu sends it so) answers with what to type.
    const words = args.trim();
    return words ? { command: 'kb', words } : { command: 'help' };
  }
  const ticketArgs = /^(\d{1,15})(?:\s+([\s\S]+))?$/.exec(args.trim());
  const ticket = Number(ticketArgs?.[1]);
  const rest = ticketArgs?.[2]?.trim();
  if (name === 'ack' || name === 'resolve')
    return ticketArgs ? { command: name, ticket } : undefined;
  if (name === 'comment')
    return ticketArgs && rest ? { command: 'comment', ticket, text: rest } : undefined;
  if (name === 'help') return { command: 'help' };
  return undefined;
}
