import { useSyncExternalStore } from 'react';
import { LANGUAGES, type Language } from '@branchwatch/api';
import { en, type Messages } from './en';
import { fa } from './fa';
import { fr } from './fr';
import { createTranslator, type Translate } from './translate';

/** The languages the UI speaks; the first is the default. */
export { LANGUAGES, type Language };

/** What formatting needs to know about the reader's language. */
export interface I18n {
  language: Language;
  /** For Intl: Persian asks for the Jalali calendar explicitly, and gets Persian digits. */
  locale: string;
  dir: 'ltr' | 'rtl';
  t: Translate;
}

const dictionaries: Record<Language, Messages> = { en, fa, fr };
const locales: Record<Language, string> = { en: 'en', fa: 'fa-IR-u-ca-persian', fr: 'fr' };

function build(language: Language): I18n {
  const locale = locales[language];
  return {
    language,
    locale,
    dir: language === 'fa' ? 'rtl' : 'ltr',
    t: createTranslator(dictionaries[language], locale),
  };
}

const built = Object.fromEntries(LANGUAGES.map((l) => [l, build(l)])) as Record<Language, I18n>;

/** For code outside React (and tests) that needs the default language. */
export const defaultI18n = built.en;

/** A language's texts outside React (tests that read a page's words in each language). */
export const i18nOf = (language: Language): I18n => built[language];

// The choice is per user on this browser: localStorage. The hub has no per-user preference yet;
// when it does, `setLanguage` is the one place that also sends it.
const STORAGE_KEY = 'bw.language';
const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

function stored(): Language {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : 'en';
  } catch {
    return 'en';
  }
}

let current: Language = stored();
const listeners = new Set<() => void>();

export function setLanguage(language: Language): void {
  if (language === current) return;
  current = language;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts until the page is reloaded.
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useI18n(): I18n {
  return built[
    useSyncExternalStore(
      subscribe,
      () => current,
      () => current,
    )
  ];
}

export type { MessageKey, Messages } from './en';
export type { Translate, Vars } from './translate';
