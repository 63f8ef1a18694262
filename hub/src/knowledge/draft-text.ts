import type { Language } from '@branchwatch/api';

/** The headings of an article drafted from a ticket, in the language it is written in. */
export const draftHeadings: Record<Language, { problem: string; solution: string }> = {
  en: { problem: 'Problem', solution: 'Solution' },
  fa: { problem: 'مشکل', solution: 'راه‌حل' },
  fr: { problem: 'Problème', solution: 'Solution' },
};
