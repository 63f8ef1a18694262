import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fa } from './fa';
import { fr } from './fr';

// Every refusal code the hub can send, read from its sources (`apiError(…, 'BW_ERR_…', …)` and
// the like; tests left out), must have words in the three dictionaries: else a reader of
// Persian or French is shown the hub's English (common/describeError.ts).
const hubSource = fileURLToPath(new URL('../../../hub/src', import.meta.url));

function hubCodes(): string[] {
  const codes = new Set<string>();
  const files = readdirSync(hubSource, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-support'),
  );
  for (const file of files)
    for (const m of readFileSync(path.join(hubSource, file), 'utf8').matchAll(/BW_ERR_[A-Z0-9_]+/g))
      codes.add(m[0]);
  return [...codes].sort();
}

describe('the words for the hub’s refusal codes', () => {
  it('exist in English, Persian and French for every code the hub sends', () => {
    const codes = hubCodes();
    expect(codes.length).toBeGreaterThan(30);
    expect(codes).toContain('BW_ERR_VALIDATION');
    const missing = codes.flatMap((code) =>
      (
        [
          ['en', en],
          ['fa', fa],
          ['fr', fr],
        ] as const
      )
        .filter(([, d]) => !(d as Record<string, string>)[`error.code.${code}`]?.trim())
        .map(([language]) => `${language}: ${code}`),
    );
    expect(missing).toEqual([]);
  });
});
