import { describe, expect, it } from 'vitest';
import { en, type MessageKey, type Messages } from './en';
import { createTranslator } from './translate';

describe('createTranslator', () => {
  const t = createTranslator(en, 'en');

  it('returns the message for a key', () => {
    expect(t('login.submit')).toBe('Sign in');
  });

  it('fills placeholders, formatting numbers for the locale', () => {
    expect(t('time.secondsAgo', { n: 12 })).toBe('12 s ago');
    expect(t('summary.ok', { n: 1200 })).toBe('1,200 ok');
  });

  it('leaves a placeholder with no value visible', () => {
    expect(t('agent.lastSeen', {})).toBe('last seen {when}');
  });

  it('uses the given language and its digits', () => {
    const persian = createTranslator({ ...en, 'time.secondsAgo': '{n} ثانیه پیش' }, 'fa');
    expect(persian('time.secondsAgo', { n: 12 })).toBe('۱۲ ثانیه پیش');
  });

  it('isolates filled-in text in a right-to-left language, and only there', () => {
    const persian = createTranslator({ ...en, 'header.userRole': '{username} · {role}' }, 'fa');
    expect(persian('header.userRole', { username: '@admin', role: 'مدیر' })).toBe(
      '\u2068@admin\u2069 · \u2068مدیر\u2069',
    );
    expect(t('header.userRole', { username: '@admin', role: 'admin' })).toBe('@admin · admin');
  });

  it('shows a key no dictionary has as itself', () => {
    const partial = createTranslator({} as Messages, 'en');
    expect(partial('ticketState.on_hold' as MessageKey)).toBe('ticketState.on_hold');
  });
});
