import { describe, expect, it } from 'vitest';
import { aTicket, anEvent } from '../api/testing';
import { createTranslator } from '../i18n/translate';
import { en } from '../i18n/en';
import { fa } from '../i18n/fa';
import type { MessageKey } from '../i18n';
import { changedBy, describeChange, differences } from './conflict';
import { timelineEntries, type LineEntry } from './timeline';

const t = createTranslator(en, 'en');
const names = new Map([
  ['u-sara', 'sara'],
  ['g-net', 'Network team'],
]);
const words = { t: (key: MessageKey) => t(key), names };

/** A line as a person reads it, with the arrow of a left-to-right page. */
const read = (entry: LineEntry) => t(entry.key, { ...entry.vars, arrow: '→' }).replace(/\s+/g, ' ');

describe('the ticket timeline', () => {
  it('reads top to bottom: the opening, changes as lines, replies and notes as messages', () => {
    const entries = timelineEntries(
      [
        anEvent({
          id: '3',
          at: '2026-01-01T10:05:00Z',
          kind: 'reply',
          body: 'On it',
          author: 'sara',
        }),
        anEvent({
          id: '1',
          at: '2026-01-01T10:00:00Z',
          kind: 'opened',
          body: 'Printer jams',
          author: 'admin',
        }),
        anEvent({
          id: '2',
          at: '2026-01-01T10:01:00Z',
          kind: 'change',
          field: 'state',
          old: 'open',
          new: 'in_progress',
          author: 'sara',
        }),
        anEvent({
          id: '4',
          at: '2026-01-01T10:06:00Z',
          kind: 'note',
          visibility: 'internal',
          body: 'Call the vendor',
          author: 'sara',
        }),
      ],
      words,
    );
    expect(entries.map((e) => (e.type === 'message' ? e.role : read(e)))).toEqual([
      'opened',
      'sara changed the state: open → in progress',
      'reply',
      'note',
    ]);
  });

  it('names people and groups instead of ids, and says so when someone is gone', () => {
    const lines = timelineEntries(
      [
        anEvent({
          id: '1',
          at: '2026-01-01T10:00:00Z',
          kind: 'change',
          field: 'assignee',
          old: null,
          new: 'u-sara',
          newLabel: 'sara',
          author: 'admin',
        }),
        anEvent({
          id: '2',
          at: '2026-01-01T10:01:00Z',
          kind: 'change',
          field: 'assignee',
          old: 'u-sara',
          new: 'u-left',
          oldLabel: null,
          newLabel: null,
          author: 'admin',
        }),
        anEvent({
          id: '3',
          at: '2026-01-01T10:02:00Z',
          kind: 'change',
          field: 'group',
          old: null,
          new: 'g-net',
          author: null,
        }),
      ],
      words,
    ) as LineEntry[];
    expect(lines.map(read)).toEqual([
      'admin assigned the ticket to sara',
      'admin reassigned the ticket: sara → someone no longer here',
      'Branchwatch put the ticket in the group Network team',
    ]);
    expect(lines.map(read).join(' ')).not.toMatch(/u-sara|u-left|g-net/);
  });

  it('shows what the hub wrote from its facts, and keeps the reason given to end an alert', () => {
    const [opening, ended] = timelineEntries(
      [
        anEvent({
          id: '1',
          at: '2026-01-01T10:00:00Z',
          kind: 'opened',
          body: 'Failing since 2026-01-01T09:57:00.000Z: connection refused.',
          data: { text: { kind: 'auto_resolved', why: 'expired' } },
        }),
        anEvent({
          id: '2',
          at: '2026-01-01T11:00:00Z',
          kind: 'change',
          field: 'state',
          old: 'open',
          new: 'resolved',
          body: 'Carrier confirmed a fault',
          data: { stillFailing: { alert: 'check', name: 'wan' } },
          author: 'sara',
        }),
      ],
      words,
    );
    expect(opening).toMatchObject({
      type: 'message',
      role: 'hub',
      text: { kind: 'auto_resolved' },
    });
    expect(ended).toMatchObject({ type: 'line', note: 'Carrier confirmed a fault' });
    expect(read(ended as LineEntry)).toBe('sara changed the state: open → resolved');
  });

  it('writes changes in Persian with translated values', () => {
    const fat = createTranslator(fa, 'fa-IR-u-ca-persian');
    const [line] = timelineEntries(
      [
        anEvent({
          id: '1',
          at: '2026-01-01T10:00:00Z',
          kind: 'change',
          field: 'priority',
          old: 'normal',
          new: 'urgent',
          author: 'sara',
        }),
      ],
      { t: (key) => fat(key), names },
    ) as LineEntry[];
    // Each filled-in value isolated (translate.ts), so "sara" keeps its direction.
    const [open, close] = ['\u2068', '\u2069'];
    expect(fat(line!.key, { ...line!.vars, arrow: '←' })).toBe(
      `${open}sara${close} اولویت را تغییر داد: ${open}عادی${close} ${open}←${close} ${open}فوری${close}`,
    );
  });
});

describe('two people on one ticket', () => {
  it('says what changed since the version on screen, who changed it and what was not saved', () => {
    const shown = aTicket({
      id: 't1',
      state: 'open',
      priority: 'normal',
      updatedAt: '2026-01-01T10:00:00Z',
    });
    const current = { ...shown, state: 'in_progress' as const, assigneeId: 'u-sara', version: 3 };
    expect(differences(shown, current, words)).toEqual([
      { label: 'State', old: 'open', new: 'in progress' },
      { label: 'Assignee', old: 'none', new: 'sara' },
    ]);
    expect(describeChange({ priority: 'high' }, words)).toBe('Priority: high');
    const events = [
      anEvent({ id: '1', at: '2026-01-01T09:59:00Z', kind: 'change', author: 'admin' }),
      anEvent({ id: '2', at: '2026-01-01T10:01:00Z', kind: 'change', author: 'sara' }),
      anEvent({ id: '3', at: '2026-01-01T10:02:00Z', kind: 'reply', author: 'omid' }),
    ];
    expect(changedBy(events, shown.updatedAt)).toEqual(['sara']);
  });
});
