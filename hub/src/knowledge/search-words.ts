/**
 * What a person typed → a tsquery of plain words, which PostgreSQL reads in each translation's
 * configuration (migration 027). Only letters and digits pass, so the text cannot inject tsquery
 * operators. `all`: every word must match, the last one as a prefix (search as you type);
 * `any`: any word, each as a prefix (suggestions from a ticket's subject, best first).
 */
const MAX_WORDS = 12;

/** The same spellings as bw_kb_normalize in SQL, so a Persian word splits where it does there. */
export function normalizeWords(text: string): string {
  return text
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[ۀة]/g, 'ه')
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/\u200c|\u200d|\u0640|\u0670|[\u064b-\u065f]/g, '')
    .replace(/(^|\s)(ن?می)\s+/gu, '$1$2');
}

export function tsqueryOf(text: string, mode: 'all' | 'any'): string | undefined {
  const words = (
    normalizeWords(text)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
    .map((w) => w.slice(0, 60))
    .slice(0, MAX_WORDS);
  if (words.length === 0) return undefined;
  // A prefix of one letter matches nearly everything: whole words only below two.
  const prefix = (w: string) => (w.length >= 2 ? `${w}:*` : w);
  if (mode === 'any') return words.map(prefix).join(' | ');
  return words.map((w, i) => (i === words.length - 1 ? prefix(w) : w)).join(' & ');
}
