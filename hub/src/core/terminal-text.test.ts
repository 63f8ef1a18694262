import { expect, it } from 'vitest';
import { wrapForTerminal } from './terminal-text.js';

it('wraps words under the first one, within the width', () => {
  const lines = wrapForTerminal('  Warning: ', 'the database is SQL_ASCII, not UTF-8: move it', 30);
  expect(lines).toEqual([
    '  Warning: the database is',
    '           SQL_ASCII, not',
    '           UTF-8: move it',
  ]);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
});

it('keeps a word longer than a line whole', () => {
  const path = '/var/lib/branchwatch/a-very-long-folder-name/postgres';
  expect(wrapForTerminal('  ', `move ${path} aside`, 20)).toEqual([
    '  move',
    `  ${path}`,
    '  aside',
  ]);
});
