/**
 * Bot commands (docs/notifications.md "Telegram"): `/link CODE` (or `/start CODE`, what a
 * t.me deep link sends) links the sender's account; `/ack 42`, `/comment 42 text…` and
 * `/resolve 42` act on tickets; `/kb words` searches the knowledge base; `/help` lists them.
 * In groups Telegram appends the bot's name (`/ack@branchwatch_bot 42`); it is ignored.
 *
 * A known command whose arguments are missing or malformed (`/ack`, `/ack abc`, `/comment 42`)
 * parses as `usage` of that command, and a command the bot does not know as `unknown`, so that
 * the person is told what to type instead of hearing nothing. Ticket numbers may be written
 * with Persian or Arabic digits (`/ack ۴۲`), as phone keyboards in Persian type them, and with
 * a `#` before them (`/ack #42`).
 */
export type UsageOf = 'ack' | 'resolve' | 'comment' | 'link' | 'kb';

export type BotCommand =
  | { command: 'ack' | 'resolve'; ticket: number }
  | { command: 'comment'; ticket: number; text: string }
  | { command: 'link'; code: string }
  | { command: 'kb'; words: string }
  | { command: 'help' }
  | { command: 'usage'; of: UsageOf }
  /** `addressed`: written to a bot by name (`/foo@branchwatch_bot`). */
  | { command: 'unknown'; addressed: boolean };

export function parseCommand(text: string): BotCommand | undefined {
  // A command copied from the bot's Persian help may carry the mark that kept it left-to-right.
  const typedText = text.replace(/^[\s\u200e\u200f\u2066-\u2069]+/, '').trim();
  const match = /^\/(\w+)(@\w+)?(?:\s+([\s\S]+))?$/.exec(typedText);
  if (!match) return undefined;
  const [, typed = '', addressedTo, rawArgs = ''] = match;
  const name = typed.toLowerCase();
  const args = rawArgs.trim();
  if (name === 'link' || name === 'start') {
    if (args) return { command: 'link', code: args };
    // A bare /start is the first message of every chat with the bot: it gets the help.
    return name === 'start' ? { command: 'help' } : { command: 'usage', of: 'link' };
  }
  if (name === 'kb') return args ? { command: 'kb', words: args } : { command: 'usage', of: 'kb' };
  if (name === 'help') return { command: 'help' };
  if (name !== 'ack' && name !== 'resolve' && name !== 'comment')
    return { command: 'unknown', addressed: addressedTo !== undefined };
  const ticketArgs = /^#?(\d{1,15})(?:\s+([\s\S]+))?$/.exec(asciiDigits(args));
  if (!ticketArgs) return { command: 'usage', of: name };
  const ticket = Number(ticketArgs[1] ?? '');
  if (name !== 'comment') return { command: name, ticket };
  // The note's own words keep the digits they were written with.
  const note = /^\S+\s+([\s\S]+)$/.exec(args)?.[1]?.trim();
  return note ? { command: 'comment', ticket, text: note } : { command: 'usage', of: 'comment' };
}

/** Persian (U+06F0…) and Arabic-Indic (U+0660…) digits as ASCII ones; nothing else changes. */
function asciiDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}
