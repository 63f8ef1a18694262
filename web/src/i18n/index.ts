import { en } from './en';
import { createTranslator, type Translate } from './translate';

/** What formatting needs to know about the reader's language. */
export interface I18n {
  locale: string;
  t: Translate;
}

// One language for now. When Persian and French arrive, the chosen language lives in a context
// (which also sets `dir` on <html> for Persian) and `useI18n` reads it; callers stay the same.
const english: I18n = { locale: 'en', t: createTranslator(en, 'en') };

export function useI18n(): I18n {
  return english;
}

/** For code outside React (and tests) that needs the default language. */
export const defaultI18n = english;

export type { MessageKey, Messages } from './en';
export type { Translate, Vars } from './translate';
