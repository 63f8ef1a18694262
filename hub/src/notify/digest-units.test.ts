import type { SlaClock } from '@branchwatch/sla';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from '../config/config.js';
import type { OutboundMessage } from './channel.js';
import { digestSla } from './digest-sla.js';
import { localTime } from './local-time.js';
import { digestLine } from './templates.js';
import { webhookSecret } from './telegram/telegram-webhook.js';
import { webhookBody } from './webhook/payloads.js';

const clock = (over: Partial<SlaClock>): SlaClock => ({
  kind: 'resolution',
  policyId: 'p',
  status: 'running',
  targetMs: 3_600_000,
  elapsedMs: 0,
  remainingMs: 3_600_000,
  deadline: new Date('2026-03-02T10:00:00Z'),
  stoppedAt: null,
  pausedMs: 0,
  pausedWallMs: 0,
  warningAt: null,
  warned: false,
  escalations: [],
  ...over,
});

describe('localTime', () => {
  it("reads the wall clock of the user's zone, across a date line and summer time", () => {
    const at = new Date('2026-03-29T22:30:00Z');
    expect(localTime(at, 'Asia/Tehran')).toEqual({
      date: '2026-03-30',
      hour: 2,
      minute: 0,
      text: '2026-03-30 02:00',
    });
    // Paris is on summer time (UTC+2) since 01:00 UTC that day.
    expect(localTime(at, 'Europe/Paris').text).toBe('2026-03-30 00:30');
    expect(localTime(at, 'America/New_York').text).toBe('2026-03-29 18:30');
    expect(localTime(new Date('2026-01-01T00:00:00Z'), 'UTC').hour).toBe(0);
  });
});

describe('digestSla', () => {
  const firstResponse = (over: Partial<SlaClock>) => clock({ kind: 'firstResponse', ...over });

  it('tells the most pressing clock: breached, then warned, then the nearest deadline', () => {
    expect(
      digestSla({
        firstResponse: firstResponse({ status: 'met' }),
        resolution: clock({ status: 'breached' }),
      }),
    ).toMatchObject({ state: 'breached', clock: 'resolution' });
    expect(
      digestSla({
        firstResponse: firstResponse({ warned: true, deadline: new Date('2026-03-05T00:00Z') }),
        resolution: clock({}),
      }),
    ).toMatchObject({ state: 'warning', clock: 'firstResponse' });
    expect(
      digestSla({
        firstResponse: firstResponse({ deadline: new Date('2026-03-01T00:00Z') }),
        resolution: clock({}),
      }),
    ).toEqual({
      state: 'running',
      clock: 'firstResponse',
      deadline: new Date('2026-03-01T00:00Z'),
    });
    expect(
      digestSla({ firstResponse: null, resolution: clock({ status: 'paused', deadline: null }) }),
    ).toEqual({ state: 'paused', clock: 'resolution', deadline: null });
  });

  it('says "none" without a policy, or when every clock is met', () => {
    expect(digestSla({ firstResponse: null, resolution: null })).toEqual({ state: 'none' });
    expect(
      digestSla({ firstResponse: firstResponse({ status: 'met' }), resolution: null }),
    ).toEqual({ state: 'none' });
  });
});

describe('digestLine', () => {
  const ticket = { number: 1042, priority: 'high', subject: 'WAN down' };

  it("writes the SLA state in the reader's language", () => {
    const due = '2026-03-02 13:30';
    expect(digestLine('en', ticket, { state: 'running', clock: 'resolution' }, due)).toBe(
      '#1042 [high] WAN down — SLA due 2026-03-02 13:30 (resolution)',
    );
    expect(digestLine('fr', ticket, { state: 'breached', clock: 'firstResponse' }, '')).toBe(
      '#1042 [high] WAN down — SLA dépassé (première réponse)',
    );
    expect(digestLine('fa', ticket, { state: 'warning', clock: 'resolution' }, due)).toBe(
      '#1042 [high] WAN down — هشدار SLA (حل)، مهلت 2026-03-02 13:30',
    );
    expect(digestLine('en', ticket, { state: 'none' }, '')).toBe('#1042 [high] WAN down — no SLA');
  });
});

describe('Teams Adaptive Card', () => {
  const message: OutboundMessage = {
    event: 'sla.breach',
    address: 'https://example.test/hook',
    language: 'en',
    subject: '[#7] SLA breached: S',
    text: 'Ticket #7 "S" breached its resolution target (L1).',
    data: { event: 'sla.breach', number: 7, branch: 'B', body: null, deliveryId: '9' },
    format: 'teams',
  };

  it('marks breaches in red and has no button without the web URL', () => {
    const posted = webhookBody(message, '9') as {
      attachments: { content: { body: Record<string, unknown>[]; actions: unknown[] } }[];
    };
    const card = posted.attachments[0]!.content;
    expect(card.body[0]).toMatchObject({ text: '[#7] SLA breached: S', color: 'Attention' });
    expect(card.body[2]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'number', value: '7' },
        { title: 'branch', value: 'B' },
      ],
    });
    expect(card.actions).toEqual([]);
  });
});

describe('Telegram webhook settings', () => {
  const base = { BW_TELEGRAM_BOT_TOKEN: '1:abc' };

  it('derives one secret_token per bot, in the characters Telegram allows', () => {
    expect(webhookSecret('1:abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(webhookSecret('1:abc')).toBe(webhookSecret('1:abc'));
    expect(webhookSecret('2:abc')).not.toBe(webhookSecret('1:abc'));
  });

  it('takes an https URL and an optional secret, and refuses what Telegram would', () => {
    const config = loadConfig({
      ...base,
      BW_TELEGRAM_WEBHOOK_URL: 'https://hub.example.com/api/v1/telegram/webhook',
    });
    expect(config.notify.telegram?.webhook).toEqual({
      url: 'https://hub.example.com/api/v1/telegram/webhook',
      secret: undefined,
    });
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...base, ...env });
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ BW_TELEGRAM_WEBHOOK_URL: 'http://hub.example.com/x' })).toEqual([
      'BW_TELEGRAM_WEBHOOK_URL: must be an https:// URL (Telegram calls webhooks over HTTPS only)',
    ]);
    expect(
      problems({
        BW_TELEGRAM_WEBHOOK_URL: 'https://hub.example.com/x',
        BW_TELEGRAM_WEBHOOK_SECRET: 'short',
      }),
    ).toEqual(['BW_TELEGRAM_WEBHOOK_SECRET: must be 16-256 characters of A-Z, a-z, 0-9, _ and -']);
  });
});
