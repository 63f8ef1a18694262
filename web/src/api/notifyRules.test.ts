import { describe, expect, it } from 'vitest';
import type { NewSubscription, PreferencesView } from './notifyApi';
import {
  canResend,
  checkPreferences,
  checkSubscription,
  deadLetters,
  deliveryState,
  displayAddress,
} from './notifyRules';

const webhook: NewSubscription = {
  channel: 'webhook',
  address: 'https://hooks.example.org/bw',
  format: 'json',
  language: 'en',
  events: ['ticket.opened'],
};

describe('subscription checks (as notify.routes.ts)', () => {
  it('accepts a webhook with an http(s) URL, and mail or Telegram with any address', () => {
    expect(checkSubscription(webhook)).toBeNull();
    expect(checkSubscription({ ...webhook, address: '  http://127.0.0.1:9/x ' })).toBeNull();
    expect(
      checkSubscription({ ...webhook, channel: 'email', address: 'noc@example.org' }),
    ).toBeNull();
    expect(checkSubscription({ ...webhook, channel: 'telegram', address: '-100123' })).toBeNull();
  });

  it.each([
    [{ address: '   ' }, 'address', 'admin.channels.addressRequired'],
    [{ address: `https://x/${'a'.repeat(2000)}` }, 'address', 'admin.channels.addressTooLong'],
    [{ address: 'ftp://example.org/x' }, 'address', 'admin.channels.addressUrl'],
    [{ events: [] }, 'events', 'admin.channels.eventsRequired'],
    [{ secret: 'short' }, 'secret', 'admin.channels.secretLength'],
  ])('refuses %j at %s', (change, field, message) => {
    expect(checkSubscription({ ...webhook, ...change })).toEqual({ field, message });
  });
});

const prefs: PreferencesView = {
  language: 'fa',
  email: null,
  telegramChatId: null,
  telegramUserId: null,
  channels: [],
  events: [],
  quietStart: null,
  quietEnd: null,
  timeZone: 'UTC',
};
const zones = ['Asia/Tehran', 'Europe/Paris'];

describe('preference checks', () => {
  it('accepts defaults and a full set', () => {
    expect(checkPreferences(prefs, zones)).toBeNull();
    const full: PreferencesView = {
      ...prefs,
      email: 'sara.k+noc@example.ir',
      telegramChatId: '12345',
      channels: ['email', 'telegram'],
      quietStart: '22:00',
      quietEnd: '07:30',
      timeZone: 'Asia/Tehran',
    };
    expect(checkPreferences(full, zones)).toBeNull();
  });

  it.each([
    [{ email: 'not-mail' }, 'email', 'profile.emailInvalid'],
    [{ quietStart: '24:00' }, 'quietStart', 'profile.timeInvalid'],
    [{ quietEnd: '7:30' }, 'quietEnd', 'profile.timeInvalid'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone', 'profile.timeZoneUnknown'],
    [{ channels: ['email'] }, 'email', 'profile.emailNeeded'],
    [{ channels: ['telegram'] }, 'channels', 'profile.telegramNeeded'],
  ])('refuses %j at %s', (change, field, message) => {
    expect(checkPreferences({ ...prefs, ...change } as PreferencesView, zones)).toEqual({
      field,
      message,
    });
  });
});

describe('the delivery log', () => {
  it('hides what often carries a credential in a webhook address', () => {
    expect(
      displayAddress(
        'webhook',
        'https://bot:pw@hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?x=1',
      ),
    ).toBe('https://hooks.slack.com/services/T000/B000/XXXX…?…');
    expect(displayAddress('webhook', 'http://127.0.0.1:8080/hook')).toBe(
      'http://127.0.0.1:8080/hook',
    );
    expect(displayAddress('email', 'noc@example.org')).toBe('noc@example.org');
  });

  it('tells a retry from a first try, and offers resend only on failures', () => {
    const rows = [
      { status: 'sent', attempts: 1 },
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 2 },
      { status: 'dead', attempts: 5 },
    ] as const;
    expect(rows.map(deliveryState)).toEqual(['delivered', 'queued', 'retrying', 'dead']);
    expect(rows.map(canResend)).toEqual([false, false, true, true]);
  });

  it('counts dead letters per subscription', () => {
    const counts = deadLetters([
      { status: 'dead', subscriptionId: 'a' },
      { status: 'dead', subscriptionId: 'a' },
      { status: 'sent', subscriptionId: 'a' },
      { status: 'dead', subscriptionId: 'b' },
      { status: 'dead', subscriptionId: null },
    ]);
    expect([...counts]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
