import { useDirection } from '@mantine/core';
import { useEffect } from 'react';
import { useNotifyApi } from '../common/useLoad';
import { preferenceFields, type NotifyApi } from '../api/notifyApi';
import { LANGUAGES, setLanguage, useI18n, type Language } from './index';

/**
 * Keeps `<html lang dir>` and Mantine's direction in step with the chosen language, so Persian
 * lays out right-to-left (README, "Right-to-left"). Renders nothing.
 */
export function LanguageSync() {
  const { language, dir } = useI18n();
  const { setDirection } = useDirection();
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = dir;
    // The installed app's name and direction follow the language (web/public/manifest.*).
    document
      .querySelector('link[rel="manifest"]')
      ?.setAttribute('href', `/manifest.${language}.webmanifest`);
    setDirection(dir);
  }, [language, dir, setDirection]);
  return null;
}

// The language is a preference stored on the hub (notify preferences' `language`, which is
// also the language of the user's mails), so it follows the user to another browser. This
// browser's localStorage bridges the time before sign-in, and holds a choice whose save has
// not returned yet: a page reloaded meanwhile keeps the choice and finishes the save, instead
// of taking the older language the hub still holds.

/** Bumped by each choice the user makes, so an older answer from the hub does not undo it. */
let choices = 0;
let saving: Promise<unknown> = Promise.resolve();
const PENDING_KEY = 'bw.language.pending';

const isLanguage = (value: unknown): value is Language =>
  (LANGUAGES as readonly unknown[]).includes(value);

function pendingChoice(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(PENDING_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function markPending(language: Language | null): void {
  try {
    if (language === null) globalThis.localStorage?.removeItem(PENDING_KEY);
    else globalThis.localStorage?.setItem(PENDING_KEY, language);
  } catch {
    // Private mode: a reload before the save returns may show the hub's language again.
  }
}

/** The user chose `language`: shown at once, then stored on the hub (one save at a time). */
export function chooseLanguage(api: NotifyApi, language: Language): Promise<unknown> {
  choices++;
  const choice = choices;
  setLanguage(language);
  markPending(language);
  // PUT replaces every preference: read them first, change only the language.
  saving = saving
    .catch(() => undefined)
    .then(async () => {
      const stored = await api.preferences();
      if (!stored.stored || stored.language !== language)
        await api.savePreferences({ ...preferenceFields(stored), language });
      // A later choice is still on its way: it clears the mark when it lands.
      if (choice === choices) markPending(null);
    });
  return saving;
}

/**
 * After sign-in (the caller mounts with the signed-in shell): takes the language stored on
 * the hub, unless the user has stored none yet or has chosen one meanwhile. A choice whose
 * save a reload cut short is saved now instead.
 */
export function useStoredLanguage(): void {
  const api = useNotifyApi();
  useEffect(() => {
    const pending = pendingChoice();
    if (pending !== null) {
      chooseLanguage(api, pending).catch(() => undefined); // Tried again at the next start.
      return;
    }
    const before = choices;
    let stopped = false;
    api.preferences().then(
      (stored) => {
        if (stopped || before !== choices || !stored.stored) return;
        if (isLanguage(stored.language)) setLanguage(stored.language);
      },
      () => undefined, // Without the hub's answer this browser's choice stands.
    );
    return () => {
      stopped = true;
    };
  }, [api]);
}
