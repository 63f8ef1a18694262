import type { MessageKey, Messages } from './en';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

/**
 * Builds `t` for one language. A placeholder with no value is left as `{name}`, so a missing
 * argument shows up on screen instead of vanishing.
 */
export function createTranslator(messages: Messages, locale: string): Translate {
  const numbers = new Intl.NumberFormat(locale);
  return (key, vars) => {
    // A key from the hub (a new state, say) that no dictionary has yet shows as itself.
    const template = messages[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars[name];
      if (value === undefined) return whole;
      // Numbers go through the locale so Persian gets its own digits later.
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}
