import { describe, expect, it } from 'vitest';
import { LANGUAGES, NOTIFY_EVENTS } from './channel.js';
import { backoffMs } from './outbox.js';
import { quietUntil } from './quiet-hours.js';
import { parseCommand } from './telegram/bot-commands.js';
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
    expect(parseCommand('/comment 9')).toBeUndefined();
    expect(parseCommand('/ack')).toBeUndefined();
    expect(parseCommand('hello')).toBeUndefined();
  });

  it('parse /kb with its words; a bare /kb asks for help instead of going unanswered', () => {
    expect(parseCommand('/kb  printer  jam ')).toEqual({ command: 'kb', words: 'printer  jam' });
    expect(parseCommand('/kb@bw_bot روتر')).toEqual({ command: 'kb', words: 'روتر' });
    expect(parseCommand('/kb')).toEqual({ command: 'help' });
  });
});
