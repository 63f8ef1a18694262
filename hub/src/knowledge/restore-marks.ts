/**
 * Search highlights in the text as it was written. PostgreSQL marks the words in the
 * *normalised* text (migration 027's bw_kb_normalize: Arabic letters made Persian, digits made
 * ASCII, the zero-width non-joiner dropped), so "وی‌پی‌ان" would come back as "ویپیان", which a
 * Persian reader sees as a different, glued word, and "۵" as "5". Normalising is a character
 * by character change (one character for another, or none), so each character of the normalised
 * text knows the one it came from, and the marked pieces are cut out of the original instead.
 */

export interface Segment {
  text: string;
  mark: boolean;
}

const SAME_AS: Record<string, string> = {
  ي: 'ی',
  ى: 'ی',
  ك: 'ک',
  ۀ: 'ه',
  ة: 'ه',
};
// ZWNJ, ZWJ, tatweel, the vowel marks and the superscript alef, by code (a class of joiners
// and combining marks reads as one misleading character).
const dropped = (code: number) =>
  code === 0x200c ||
  code === 0x200d ||
  code === 0x0640 ||
  code === 0x0670 ||
  (code >= 0x064b && code <= 0x065f);

/** bw_kb_normalize's letter and digit changes, with where each character came from. */
export function normalizeWithOrigins(text: string): { normal: string; origins: number[] } {
  let normal = '';
  const origins: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (dropped(code)) continue;
    const n =
      SAME_AS[c] ??
      (code >= 0x06f0 && code <= 0x06f9
        ? String(code - 0x06f0)
        : code >= 0x0660 && code <= 0x0669
          ? String(code - 0x0660)
          : c);
    normal += n;
    origins.push(i);
  }
  return { normal, origins };
}

/**
 * `marked`: ts_headline's pieces of the normalised `original`, fragments joined by `delimiter`.
 * Answers the same pieces in the original's letters; the pieces as they were when a fragment is
 * not found in the text (it should not happen; the highlight is then only less pretty).
 */
export function restoreMarks(original: string, marked: Segment[], delimiter = ' … '): Segment[] {
  const { normal, origins } = normalizeWithOrigins(original);
  const at = (k: number) => (k < origins.length ? origins[k]! : original.length);
  const fragments: Segment[][] = [[]];
  for (const s of marked) {
    const parts = s.mark ? [s.text] : s.text.split(delimiter);
    parts.forEach((text, i) => {
      if (i > 0) fragments.push([]);
      if (text) fragments[fragments.length - 1]!.push({ text, mark: s.mark });
    });
  }
  const out: Segment[] = [];
  let from = 0;
  for (const [f, fragment] of fragments.entries()) {
    const plain = fragment.map((s) => s.text).join('');
    const start = normal.indexOf(plain, from);
    if (start < 0) return marked;
    const pieces = f > 0 ? [{ text: delimiter, mark: false }] : [];
    let k = start;
    for (const s of fragment) {
      pieces.push({ text: original.slice(at(k), at(k + s.text.length)), mark: s.mark });
      k += s.text.length;
    }
    for (const piece of pieces) {
      const last = out[out.length - 1];
      if (last && !last.mark && !piece.mark) last.text += piece.text;
      else out.push(piece);
    }
    from = k;
  }
  return out;
}
