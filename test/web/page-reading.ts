import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * What a person sees on a page, read in the browser, and what in it would make them stumble:
 * a page wider than the screen, a button cut off, a message key or a code name instead of
 * words, a raw id, an ISO timestamp, or (in Persian and French) English the UI wrote.
 */
export interface PageReading {
  /** How much wider than the window the document is, px. */
  overflowPx: number;
  /** Visible elements that stick out of the window or of a box that clips them. */
  outside: string[];
  /** Visible text: text nodes, placeholders, the values of text fields and selects. */
  texts: string[];
}

// Runs in the page, as text: the test package's TypeScript has no DOM types.
const READ = `(() => {
  const vw = document.documentElement.clientWidth;
  const describe = (el) => {
    const id = el.getAttribute('data-testid');
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
    return el.tagName.toLowerCase() + (id ? '[' + id + ']' : '') + (text ? ' "' + text + '"' : '');
  };
  const visible = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const SCROLLING_TABLE = '.mantine-TableScrollContainer-scrollContainer';
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
  const outside = [];
  const seen = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    let problem = null;
    // What shows of the element: its box cut by every ancestor that clips (a map's SVG, a
    // scrolling table), which is what can run off the window.
    let left = r.left, right = r.right;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (!clips(p)) continue;
      const box = p.getBoundingClientRect();
      left = Math.max(left, box.left);
      right = Math.min(right, box.right);
    }
    if (right > left && (right > vw + 1 || left < -1)) problem = 'outside the window ' + Math.round(left) + '..' + Math.round(right);
    // A box that scrolls sideways, or clips a button or field: cut or hidden on a phone.
    const s = getComputedStyle(el);
    // A table made to scroll inside its own box (Mantine's Table.ScrollContainer) is meant to;
    // any other box that scrolls sideways hides part of the page.
    if (!problem && (s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'TEXTAREA' && el.tagName !== 'INPUT' && !el.closest(SCROLLING_TABLE))
      problem = 'scrolls sideways by ' + (el.scrollWidth - el.clientWidth) + ' px';
    if (!problem && el.matches('button, a, input, select, [role=button]')) {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (!clips(p)) continue;
        if (p.closest(SCROLLING_TABLE)) break;
        const box = p.getBoundingClientRect();
        if (r.right > box.right + 1 || r.left < box.left - 1) { problem = 'cut by ' + describe(p).slice(0, 40); break; }
      }
      const label = el.querySelector('.mantine-Button-label');
      if (!problem && label && label.scrollWidth > label.clientWidth + 1) problem = 'label cut';
    }
    if (!problem) continue;
    // Only the outermost of nested culprits.
    let p = el.parentElement, nested = false;
    while (p) { if (seen.has(p)) { nested = true; break; } p = p.parentElement; }
    seen.add(el);
    if (!nested) outside.push(describe(el) + ': ' + problem);
  }
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    if (!text || !n.parentElement || !visible(n.parentElement)) continue;
    if (n.parentElement.closest('script, style, noscript')) continue;
    texts.push(text);
  }
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (!visible(el)) continue;
    if (el.placeholder) texts.push(el.placeholder);
    if (el.tagName === 'SELECT') { const o = el.selectedOptions[0]; if (o) texts.push(o.text); }
    else if (el.type === 'text' || el.type === 'search' || el.tagName === 'TEXTAREA') { if (el.value) texts.push(el.value); }
  }
  return { overflowPx: document.documentElement.scrollWidth - vw, outside: outside.slice(0, 12), texts };
})()`;

export const readPage = (page: Page) => page.evaluate<PageReading>(READ);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const PLACEHOLDER = /\{[a-zA-Z]+\}/;
const SNAKE = /\b[a-z]+(?:_[a-z0-9]+)+\b/;
const CAMEL = /\b[a-z]+[A-Z][A-Za-z]*\b/;
// The web's dictionaries, read as text: the test package cannot import the web's modules.
const dictionary = (language: string) =>
  readFileSync(new URL(`../../web/src/i18n/${language}.ts`, import.meta.url), 'utf8');
const messageKeys = [...dictionary('en').matchAll(/^\s+'([a-z][\w.]*)':/gm)].map((m) => m[1]!);
const keyPrefixes = [...new Set(messageKeys.map((k) => k.split('.')[0]!))].join('|');
const MESSAGE_KEY = new RegExp(`\\b(?:${keyPrefixes})\\.[A-Za-z_]+(?:\\.[A-Za-z_]+)*\\b`);
const ENGLISH = new Set(
  'the is are and with this that not was has have will from your you what when which'.split(' '),
);
const LATIN_WORD = /[A-Za-z][A-Za-z'’-]*/g;

// Latin words the Persian dictionary itself uses (SLA, ICMP, MOS, …): intended, not leftovers.
// Its keys are left out: only what follows a key's colon is text.
const persianLatin = new Set(
  dictionary('fa')
    .split('\n')
    .map((line) => line.replace(/^\s+'[a-z][\w.]*':/, '').replace(/\{\w+\}/g, ''))
    .flatMap((line) => line.match(/'[^']*'|"[^"]*"|`[^`]*`/g) ?? [])
    .flatMap((quoted) => quoted.slice(1, -1).match(LATIN_WORD) ?? []),
);

/** What is wrong with the words on a page; `data` is text people typed, shown as it is. */
export function wordProblems(
  texts: readonly string[],
  language: 'en' | 'fa' | 'fr',
  data: readonly string[],
  technical: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const isData = (text: string) => data.some((d) => d !== '' && text.includes(d));
  for (const text of texts) {
    if (UUID.test(text)) problems.push(`raw id: "${text}"`);
    if (ISO_TIME.test(text)) problems.push(`ISO timestamp: "${text}"`);
    if (isData(text)) continue;
    if (PLACEHOLDER.test(text)) problems.push(`unfilled placeholder: "${text}"`);
    if (MESSAGE_KEY.test(text)) problems.push(`message key: "${text}"`);
    const code = SNAKE.exec(text) ?? CAMEL.exec(text);
    if (code && !technical.has(code[0])) problems.push(`code name "${code[0]}" in "${text}"`);
    if (language === 'en') continue;
    const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
    if (new Set(words.filter((w) => ENGLISH.has(w))).size >= 2)
      problems.push(`English in ${language}: "${text}"`);
    if (language === 'fa') {
      const latin = (text.match(LATIN_WORD) ?? []).filter(
        (w) => !persianLatin.has(w) && !technical.has(w) && !technical.has(w.toLowerCase()),
      );
      if (latin.length) problems.push(`Latin words in fa: ${latin.join(' ')} in "${text}"`);
    }
  }
  return [...new Set(problems)];
}
