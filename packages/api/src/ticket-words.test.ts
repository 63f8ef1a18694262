import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './notify.js';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATES } from './tickets.js';
import { TICKET_WORDS, ticketWordEntries } from './ticket-words.js';

describe('the words of ticket states, priorities and categories', () => {
  it.each(LANGUAGES)('has a word for every state, priority and category in %s', (language) => {
    const words = TICKET_WORDS[language];
    for (const [values, named] of [
      [TICKET_STATES, words.state],
      [TICKET_PRIORITIES, words.priority],
      [TICKET_CATEGORIES, words.category],
    ] as const) {
      expect(Object.keys(named).sort()).toEqual([...values].sort());
      for (const value of values) {
        const word = (named as Record<string, string>)[value]!;
        expect(word.trim()).not.toBe('');
        // A word, not the code: no underscore, and in Persian, Persian letters.
        expect(word).not.toContain('_');
        if (language === 'fa') expect(word).toMatch(/[\u0600-\u06FF]/);
      }
    }
  });

  it('gives different words in each language where the languages differ', () => {
    expect(TICKET_WORDS.fr.state.closed).toBe('fermé');
    expect(TICKET_WORDS.fa.priority.urgent).toBe('فوری');
    expect(new Set(LANGUAGES.map((l) => TICKET_WORDS[l].state.in_progress)).size).toBe(3);
  });

  it('gives the entries the dictionaries spread in', () => {
    const entries = ticketWordEntries('fr');
    expect(entries['ticketState.on_hold']).toBe('suspendu');
    expect(entries['priority.high']).toBe('haute');
    expect(entries['category.access']).toBe('Accès et comptes');
    expect(Object.keys(entries)).toHaveLength(
      TICKET_STATES.length + TICKET_PRIORITIES.length + TICKET_CATEGORIES.length,
    );
  });
});
