import { expect, it } from 'vitest';
import { formatDuration } from './duration.js';

it('formats downtimes', () => {
  expect(formatDuration(0)).toBe('0 s');
  expect(formatDuration(59_400)).toBe('59 s');
  expect(formatDuration(3_723_000)).toBe('1 h 2 min 3 s');
  expect(formatDuration(90_000_000)).toBe('1 d 1 h');
  expect(formatDuration(-5)).toBe('0 s');
});
