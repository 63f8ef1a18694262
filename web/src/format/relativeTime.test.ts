import { describe, expect, it } from 'vitest';
import { defaultI18n } from '../i18n';
import { formatMilliseconds, formatPercent } from './numbers';
import { formatRelative } from './relativeTime';

const now = Date.parse('2025-03-01T12:00:00.000Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('formatRelative', () => {
  it.each([
    [0, 'just now'],
    [999, 'just now'],
    [1_000, '1 s ago'],
    [12_400, '12 s ago'],
    [59_999, '59 s ago'],
    [60_000, '1 min ago'],
    [59 * 60_000, '59 min ago'],
    [3_600_000, '1 h ago'],
    [23 * 3_600_000 + 3_599_000, '23 h ago'],
    [86_400_000, '1 d ago'],
    [40 * 86_400_000, '40 d ago'],
  ])('%i ms before now reads "%s"', (elapsed, expected) => {
    expect(formatRelative(ago(elapsed), now, defaultI18n)).toBe(expected);
  });

  it('reads a time a little in the future (clock skew) as just now', () => {
    expect(formatRelative(ago(-3_000), now, defaultI18n)).toBe('just now');
  });

  it('shows a dash for no time or an unreadable one', () => {
    expect(formatRelative(null, now, defaultI18n)).toBe('—');
    expect(formatRelative('yesterday-ish', now, defaultI18n)).toBe('—');
  });
});

describe('number formats', () => {
  it('keeps two significant digits under 1 ms, one decimal under 10 ms, none above', () => {
    expect(formatMilliseconds(0.437, 'en')).toBe('0.44');
    expect(formatMilliseconds(0.0374, 'en')).toBe('0.037');
    expect(formatMilliseconds(0, 'en')).toBe('0');
    expect(formatMilliseconds(9.94, 'en')).toBe('9.9');
    expect(formatMilliseconds(3, 'en')).toBe('3');
    expect(formatMilliseconds(12.6, 'en')).toBe('13');
    expect(formatMilliseconds(1234.4, 'en')).toBe('1,234');
  });

  it('keeps at most one decimal for percentages', () => {
    expect(formatPercent(0, 'en')).toBe('0');
    expect(formatPercent(33.3333, 'en')).toBe('33.3');
    expect(formatPercent(100, 'en')).toBe('100');
  });
});
