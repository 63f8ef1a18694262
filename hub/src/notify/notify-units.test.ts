import { describe, expect, it } from 'vitest';
import { LANGUAGES, NOTIFY_EVENTS } from './channel.js';
import { backoffMs } from './outbox.js';
import { quietUntil } from './quiet-hours.js';
import { parseCommand } from './telegram/bot-commands.js';
import { botWords, languageOfTelegram, refusalOf } from './telegram/bot-words.js';
import { render } from './templates.js';
import { sign, verify } from './webhook/signature.js';

const values = {
  number: 7,
  subject: 'S',
  priority: 'high',
  branch: 'B',
  assignee: 'a',
  author: 'x',
  body: 'text',
  clock: 'resolution',
  level: 'L1',
  agent: 'srv',
  check: 'ping',
  at: '2026-01-01T00:00:00.000Z',
  reason: 'timeout',
  open: 3,
  opened: 1,
  resolved: 2,
  list: '#7 S',
};

describe('templates', () => {
  it('fill every placeholder of every event in every language', () => {
    for (const language of LANGUAGES)
      for (const event of NOTIFY_EVENTS) {
        const { subject, text } = render(event, language, values);
        expect(`${subject}${text}`, `${language} ${event}`).not.toMatch(/[{}]/);
        expect(subject.length, `${language} ${event}`).toBeGreaterThan(3);
      }
  });

  it('leave the branch clause out when the ticket has no branch', () => {
    expect(render('ticket.opened', 'en', { ...values, branch: null }).text).toBe(
      'Ticket #7 "S" was opened.\nPriority: high\n\ntext',
    );
    expect(render('ticket.opened', 'fr', values).text).toContain("a été ouvert à l'agence B.");
  });
});

describe('quiet hours', () => {
  const at = (iso: string) => new Date(iso);
  it('defer to the end of a window that wraps midnight, in the user time zone', () => {
    // 23:30 in Tehran (UTC+3:30) is 20:00 UTC; quiet until 07:00 Tehran = 03:30 UTC.
    expect(quietUntil(at('2026-03-01T20:00:00Z'), '22:00', '07:00', 'Asia/Tehran')).toEqual(
      at('2026-03-02T03:30:00Z'),
    );
    expect(quietUntil(at('2026-03-01T12:00:00Z'), '22:00', '07:00', 'Asia/Tehran')).toBeUndefined();
    expect(quietUntil(at('2026-03-01T12:00:00Z'), null, null, 'UTC')).toBeUndefined();
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter between half and the whole step, capped', () => {
    const o = { baseDelayMs: 1000, maxDelayMs: 10_000 };
    for (let i = 0; i < 50; i++) {
      expect(backoffMs(1, o)).toBeGreaterThanOrEqual(500);
      expect(backoffMs(1, o)).toBeLessThanOrEqual(1000);
      expect(backoffMs(3, o)).toBeGreaterThanOrEqual(2000);
      expect(backoffMs(3, o)).toBeLessThanOrEqual(4000);
      expect(backoffMs(20, o)).toBeLessThanOrEqual(10_000);
    }
  });
});

describe('webhook signature', () => {
  it('is v1= HMAC-SHA256 over timestamp.body (known vector)', () => {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(sign('secret', 1700000000, '{"a":1}')).toBe(
      'v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686',
    );
    expect(verify('secret', 1, 'b', sign('secret', 1, 'b'))).toBe(true);
    expect(verify('secret', 1, 'b', sign('secret', 2, 'b'))).toBe(false);
  });
});

describe('bot commands', () => {
  it('parse /ack, /comment and /resolve, also addressed to the bot in groups', () => {
    expect(parseCommand('/ack 42')).toEqual({ command: 'ack', ticket: 42 });
    expect(parseCommand('/resolve@bw_bot 7')).toEqual({ command: 'resolve', ticket: 7 });
    expect(parseCommand('/comment 9 line one\nline two')).toEqual({
      command: 'comment',
      ticket: 9,
      text: 'line one\nline two',
    });
    expect(parseCommand('hello')).toBeUndefined();
  });

  it('read ticket numbers typed with Persian or Arabic digits, or after a #', () => {
    expect(parseCommand('/ack ۴۲')).toEqual({ command: 'ack', ticket: 42 });
    expect(parseCommand('/resolve ٤٢')).toEqual({ command: 'resolve', ticket: 42 });
    expect(parseCommand('/ack #1207')).toEqual({ command: 'ack', ticket: 1207 });
    // The note keeps the digits it was written with.
    expect(parseCommand('/comment ۹ کابل ۲ عوض شد')).toEqual({
      command: 'comment',
      ticket: 9,
      text: 'کابل ۲ عوض شد',
    });
    // A command copied from the Persian help, with its left-to-right mark.
    expect(parseCommand('\u200e/ack 7')).toEqual({ command: 'ack', ticket: 7 });
  });

  it('answer missing or malformed arguments with the usage, not with silence', () => {
    expect(parseCommand('/ack')).toEqual({ command: 'usage', of: 'ack' });
    expect(parseCommand('/ack abc')).toEqual({ command: 'usage', of: 'ack' });
    expect(parseCommand('/resolve@bw_bot')).toEqual({ command: 'usage', of: 'resolve' });
    expect(parseCommand('/comment')).toEqual({ command: 'usage', of: 'comment' });
    expect(parseCommand('/comment 42')).toEqual({ command: 'usage', of: 'comment' });
    expect(parseCommand('/comment 42   ')).toEqual({ command: 'usage', of: 'comment' });
    expect(parseCommand('/comment printer jam')).toEqual({ command: 'usage', of: 'comment' });
    expect(parseCommand('/link')).toEqual({ command: 'usage', of: 'link' });
    expect(parseCommand('/kb')).toEqual({ command: 'usage', of: 'kb' });
    // A bare /start opens every chat with the bot: the help.
    expect(parseCommand('/start')).toEqual({ command: 'help' });
    expect(parseCommand('/HELP')).toEqual({ command: 'help' });
  });

  it('tell an unknown command from one written to a bot by name', () => {
    expect(parseCommand('/close 42')).toEqual({ command: 'unknown', addressed: false });
    expect(parseCommand('/close@bw_bot 42')).toEqual({ command: 'unknown', addressed: true });
  });

  it('parse /kb with its words', () => {
    expect(parseCommand('/kb  printer  jam ')).toEqual({ command: 'kb', words: 'printer  jam' });
    expect(parseCommand('/kb@bw_bot روتر')).toEqual({ command: 'kb', words: 'روتر' });
  });
});

describe("the bot's words", () => {
  it('write ticket numbers as the web UI does: Persian digits in Persian, n° in French', () => {
    expect(botWords('en').resolved(botWords('en').ticket(1207))).toBe('Ticket #1207 resolved.');
    expect(botWords('fa').resolved(botWords('fa').ticket(1207))).toBe('تیکت #۱۲۰۷ حل شد.');
    expect(botWords('fr').resolved(botWords('fr').ticket(1207))).toBe(
      'Le ticket n°\u00a01207 est résolu.',
    );
  });

  it('take the language Telegram reports only when the bot speaks it', () => {
    expect(languageOfTelegram('fa')).toBe('fa');
    expect(languageOfTelegram('fr-CA')).toBe('fr');
    expect(languageOfTelegram('de')).toBe('en');
    expect(languageOfTelegram(undefined)).toBe('en');
  });

  it("say a refusal in the reader's words, naming the ticket and its states", () => {
    const transition = Object.assign(new Error('a ticket cannot go from closed to resolved'), {
      code: 'BW_ERR_TICKET_TRANSITION',
      details: { from: 'closed', to: 'resolved' },
    });
    expect(refusalOf(botWords('fa'), 'fa', transition, 42)).toBe(
      'تیکت #۴۲ نمی‌تواند از «بسته» به «حل شده» برود.',
    );
    expect(refusalOf(botWords('en'), 'en', transition, 42)).toBe(
      'Ticket #42 cannot go from closed to resolved.',
    );
    const forbidden = Object.assign(new Error('this needs the tickets.write permission'), {
      code: 'BW_ERR_FORBIDDEN',
    });
    expect(refusalOf(botWords('fr'), 'fr', forbidden, 42)).toBe(
      'Il faut pour cela la permission tickets.write.',
    );
    const stillFailing = Object.assign(new Error('the check wan is still failing: say why'), {
      code: 'BW_ERR_ALERT_STILL_FAILING',
    });
    expect(refusalOf(botWords('fr'), 'fr', stillFailing, 7)).toBe(
      'L’alerte du ticket n°\u00a07 est toujours en échec. ' +
        'Pour le résoudre malgré tout, dites pourquoi dans Branchwatch.',
    );
    // A refusal without words of its own: the hub's message in English, the code otherwise.
    const other = Object.assign(new Error('body: a reply needs text'), {
      code: 'BW_ERR_VALIDATION',
    });
    expect(refusalOf(botWords('en'), 'en', other, 42)).toBe('Body: a reply needs text.');
    expect(refusalOf(botWords('fa'), 'fa', other, 42)).toBe(
      'این درخواست را Branchwatch نپذیرفت (BW_ERR_VALIDATION).',
    );
  });
});
