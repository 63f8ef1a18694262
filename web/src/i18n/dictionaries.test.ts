import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fa } from './fa';
import { fr } from './fr';
import { createTranslator } from './translate';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it.each([
    ['fa', fa],
    ['fr', fr],
  ] as const)('%s has exactly the keys of en, with the same placeholders', (_, messages) => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect([key, placeholders(messages[key as keyof typeof en])]).toEqual([
        key,
        placeholders(text),
      ]);
    }
  });

  it('translates rather than copies: most Persian entries have Persian letters', () => {
    const persian = Object.values(fa).filter((text) => /[\u0600-\u06FF]/.test(text)).length;
    expect(persian / Object.keys(fa).length).toBeGreaterThan(0.85);
  });

  it('writes numbers in Persian digits and dates in the Jalali calendar for fa', () => {
    const t = createTranslator(fa, 'fa-IR-u-ca-persian');
    expect(t('time.minutesAgo', { n: 25 })).toBe('۲۵ دقیقه پیش');
    const nowruz = new Date('2026-03-21T12:00:00Z');
    const date = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { dateStyle: 'short' }).format(
      nowruz,
    );
    expect(date).toBe('۱۴۰۵/۱/۱');
  });
});

// Attributes a person reads or hears (screen readers); a string literal there is a hard-coded text.
const SHOWN_ATTRIBUTES = new Set([
  'label',
  'title',
  'placeholder',
  'aria-label',
  'alt',
  'description',
  'error',
]);
const LETTER = /\p{L}/u;

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(full);
    return entry.name.endsWith('.tsx') ? [full] : [];
  });
}

/** JSX text and shown attributes that are literals with letters, as `file:line text`. */
function literalsIn(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${path.relative(srcRoot, file)}:${line + 1} ${text.trim()}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && LETTER.test(node.text)) report(node, node.text);
    if (ts.isJsxAttribute(node) && SHOWN_ATTRIBUTES.has(node.name.getText(source))) {
      const init = node.initializer;
      const literal =
        init && ts.isStringLiteral(init)
          ? init
          : init &&
              ts.isJsxExpression(init) &&
              init.expression &&
              ts.isStringLiteralLike(init.expression)
            ? init.expression
            : null;
      if (literal && LETTER.test(literal.text)) report(node, node.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const srcRoot = path.resolve(import.meta.dirname, '..');

describe('components', () => {
  // Parses every component with the TypeScript compiler: seconds of CPU on a busy machine, so
  // the bound is generous (a scan, not a speed goal).
  it(
    'contain no user-visible string literals: every text goes through t()',
    {
      timeout: 60_000,
    },
    () => {
      const found = tsxFiles(srcRoot).flatMap(literalsIn);
      expect(found).toEqual([]);
    },
  );

  it('the scan finds what it looks for', () => {
    const sample = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bw-i18n-')), 'Sample.tsx');
    fs.writeFileSync(
      sample,
      'export const A = () => <p title="Hi" aria-label={t("x")}>Hello {name} <b>{t("k")}</b> 12</p>;\n',
    );
    try {
      expect(literalsIn(sample).map((f) => f.replace(/^.*:\d+ /, ''))).toEqual([
        'title="Hi"',
        'Hello',
      ]);
    } finally {
      fs.rmSync(path.dirname(sample), { recursive: true });
    }
  });
});
