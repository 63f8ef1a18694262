import { describe, expect, it } from 'vitest';
import { en, type MessageKey, type Messages } from './en';
import { fa } from './fa';
import { fr } from './fr';
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

  it('picks the plural form of a count by the language’s rules', () => {
    expect(t('map.nodes', { n: 1 })).toBe('1 node');
    expect(t('map.nodes', { n: 0 })).toBe('0 nodes');
    expect(t('map.nodes', { n: 2 })).toBe('2 nodes');
    // French counts zero as one; a dictionary without the form falls back to the key itself.
    const french = createTranslator(fr, 'fr');
    expect([0, 1, 2].map((n) => french('map.nodes', { n }))).toEqual([
      '0 nœud',
      '1 nœud',
      '2 nœuds',
    ]);
    const persian = createTranslator(fa, 'fa-IR-u-ca-persian');
    expect(persian('map.nodes', { n: 1 })).toBe('۱ گره');
    const noForms = createTranslator(
      { ...en, 'map.nodes.one': undefined } as unknown as Messages,
      'en',
    );
    expect(noForms('map.nodes', { n: 1 })).toBe('1 nodes');
  });

  it('shows a key no dictionary has as itself', () => {
    const partial = createTranslator({} as Messages, 'en');
    expect(partial('ticketState.on_hold' as MessageKey)).toBe('ticketState.on_hold');
  });
});
