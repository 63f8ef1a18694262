/**
 * Bot commands a support agent sends (docs/notifications.md "Telegram"): `/ack 42`,
 * `/comment 42 text…`, `/resolve 42`. In groups Telegram appends the bot's name
 * (`/ack@branchwatch_bot 42`); it is ignored.
 */
export type BotCommand =
  | { command: 'ack' | 'resolve'; ticket: number }
  | { command: 'comment'; ticket: number; text: string }
  | { command: 'help' };

export function parseCommand(text: string): BotCommand | undefined {
  const match = /^\/(\w+)(?:@\w+)?(?:\s+(\d+))?(?:\s+([\s\S]+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, name, number, rest] = match;
  const ticket = Number(number);
  if (name === 'ack' || name === 'resolve') return number ? { command: name, ticket } : undefined;
  if (name === 'comment')
    return number && rest?.trim() ? { command: 'comment', ticket, text: rest.trim() } : undefined;
  if (name === 'help' || name === 'start') return { command: 'help' };
  return undefined;
}
