import { describe, expect, it } from 'vitest';
import { renderCannedReply, unknownVariables } from './canned-reply.js';
import { csvField, csvRecord } from '../http/csv.js';
import { mentionedUsernames } from './mentions.js';

describe('canned replies', () => {
  const values = {
    'ticket.number': 1042,
    'ticket.subject': 'VPN down {{user.name}}',
    'branch.name': 'تهران ۱',
    'user.name': 'sara',
  };

  it('fills the known variables once, without expanding what values contain', () => {
    expect(
      renderCannedReply(
        'Hi, #{{ticket.number}} ({{ ticket.subject }}) at {{branch.name}} — {{user.name}}',
        values,
      ),
    ).toBe('Hi, #1042 (VPN down {{user.name}}) at تهران ۱ — sara');
  });

  it('leaves unknown placeholders as written and lists them', () => {
    expect(renderCannedReply('{{process.env}} {{constructor}}', values)).toBe(
      '{{process.env}} {{constructor}}',
    );
    expect(unknownVariables('{{ticket.number}} {{process.env}} {{user.password}}')).toEqual([
      'process.env',
      'user.password',
    ]);
  });

  it('renders a missing branch as empty', () => {
    expect(renderCannedReply('[{{branch.name}}]', { ...values, 'branch.name': null })).toBe('[]');
  });
});

describe('mentions', () => {
  it('finds @names, not e-mail addresses, without trailing punctuation, once each', () => {
    expect(
      mentionedUsernames('@sara please look, cc @Reza. mail ops@example.com or @sara again'),
    ).toEqual(['sara', 'reza']);
    expect(mentionedUsernames('(@noc.team) x@y')).toEqual(['noc.team']);
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(new Date('2026-11-01T00:00:00Z'))).toBe('2026-11-01T00:00:00.000Z');
  });

  it('ends records with CRLF and defuses formulas', () => {
    expect(csvRecord([1, '=HYPERLINK("x")', 'ok'])).toBe(`1,"'=HYPERLINK(""x"")",ok\r\n`);
  });
});
