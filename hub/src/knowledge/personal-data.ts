/**
 * Leaves people out of an article drafted from a ticket's conversation
 * (docs/knowledge-base.md "From a ticket"): e-mail addresses, street addresses, phone numbers,
 * @mentions and the names the ticket knows (its requester, the people who wrote in it) are replaced by a word
 * in brackets. Names the ticket does not know cannot be found reliably in free text: the
 * editor reads the draft before it is published, which is why it starts as a draft.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// A + or a digit, then at least 7 more digits with spaces, dots, dashes or brackets between:
// +98 21 1234 5678, (021) 555-0100, ۰۹۱۲۳۴۵۶۷۸۹. Persian and Arabic-Indic digits count.
const PHONE = /(?<![\p{L}\p{N}])\+?[(\d۰-۹٠-٩](?:[\d۰-۹٠-٩ ().-]){6,}[\d۰-۹٠-٩](?![\p{L}\p{N}])/gu;
// What the phone pattern also matches and a support conversation is full of: addresses of
// devices and dates.
const NOT_PHONE = [/^\d{1,3}(\.\d{1,3}){3}$/, /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/];
const MENTION = /(?<![\p{L}\p{N}_.])@[\p{L}\p{N}_.-]+/gu;
// Street addresses as people write them in a message: "12 Baker Street", "4 bis rue de la
// Paix", "خیابان ولیعصر، کوچه ۱۲، پلاک ۳۴". A house number next to a street word is what marks
// them; the rest of a sentence is left as it is.
const DIGIT = '[\\d۰-۹٠-٩]';
const FRENCH_STREETS = ['rue', 'avenue', 'boulevard', 'bd', 'place', 'chemin', 'allée', 'impasse']
  .flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1)])
  .join('|');
const ADDRESSES = [
  new RegExp(
    `(?<![\\p{L}\\p{N}])${DIGIT}{1,5}\\s+(?:[\\p{Lu}][\\p{L}'’-]*\\s+){1,4}(?:Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Drive|Square|Way)(?![\\p{L}])`,
    'gu',
  ),
  new RegExp(
    `(?<![\\p{L}\\p{N}])${DIGIT}{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:${FRENCH_STREETS})(?:\\s+(?:(?:de|du|des|la|le)\\s+|l’|l'|d’|d')*[\\p{Lu}][\\p{L}’'-]*){1,4}`,
    'gu',
  ),
  new RegExp(
    `(?:خیابان|خ\\.|بلوار|کوچه|میدان|جاده)\\s[^\\n.!?؟]{0,80}?پلاک\\s*${DIGIT}+(?:\\s*[،,]?\\s*(?:واحد|طبقه)\\s*${DIGIT}+)*`,
    'gu',
  ),
  new RegExp(`پلاک\\s*${DIGIT}+`, 'gu'),
];

export interface Placeholders {
  email: string;
  phone: string;
  name: string;
  address: string;
}

/** The words that stand for what was left out, in the language the draft is written in. */
export const PLACEHOLDERS_BY_LANGUAGE = {
  en: { email: '[e-mail]', phone: '[phone]', name: '[name]', address: '[address]' },
  fa: { email: '[ایمیل]', phone: '[تلفن]', name: '[نام]', address: '[نشانی]' },
  fr: { email: '[e-mail]', phone: '[téléphone]', name: '[nom]', address: '[adresse]' },
} satisfies Record<string, Placeholders>;

export const PLACEHOLDERS: Placeholders = PLACEHOLDERS_BY_LANGUAGE.en;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` without the e-mail addresses, phone numbers, mentions and `names` in it. */
export function withoutPersonalData(
  text: string,
  names: readonly string[],
  words: Placeholders = PLACEHOLDERS,
): string {
  let out = text.replace(EMAIL, words.email).replace(MENTION, words.name);
  for (const address of ADDRESSES) out = out.replace(address, words.address);
  out = out.replace(PHONE, (match) => {
    const digits = match.replace(/[^\d۰-۹٠-٩]/g, '');
    if (digits.length < 8 || NOT_PHONE.some((p) => p.test(match.trim()))) return match;
    return words.phone;
  });
  // Longest first, so "Sara Ahmadi" goes whole before "Sara" would split it.
  const known = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  for (const name of known) {
    const parts = [name, ...name.split(/\s+/).filter((p) => p.length >= 3)];
    for (const part of parts) {
      const pattern = new RegExp(
        `(?<![\\p{L}\\p{N}])${escapeRegExp(part)}(?![\\p{L}\\p{N}])`,
        'giu',
      );
      out = out.replace(pattern, words.name);
    }
  }
  return out;
}
