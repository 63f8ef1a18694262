import type { MessageKey, Messages } from './en';

export type Vars = Record<string, string | number>;

const RTL_LOCALE = /^(fa|ar|he|ur)\b/;
export type Translate = (key: MessageKey, vars?: Vars) => string;

/**
 * Builds `t` for one language. A placeholder with no value is left as `{name}`, so a missing
 * argument shows up on screen instead of vanishing.
 */
export function createTranslator(messages: Messages, locale: string): Translate {
  const numbers = new Intl.NumberFormat(locale);
  const plurals = new Intl.PluralRules(locale);
  const forms = messages as Partial<Record<string, string>>;
  // In a right-to-left language a filled-in name, address or message keeps its own direction
  // inside the sentence: wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (Unicode
  // TR 9, as Fluent's useIsolating does), "@admin" stays "@admin" and a sentence's full stop
  // stays at its end instead of jumping to the front.
  const isolate = RTL_LOCALE.test(locale)
    ? (value: string) => `\u2068${value}\u2069`
    : (value: string) => value;
  return (key, vars) => {
    // A count `n` picks the language's plural form when the dictionary has one: `map.nodes.one`
    // ("1 node") beside `map.nodes` ("{n} nodes", every other form), by the CLDR rules of
    // Intl.PluralRules — French counts 0 as one, Persian needs no form of its own.
    const n = vars?.n;
    const form = typeof n === 'number' ? forms[`${key}.${plurals.select(n)}`] : undefined;
    // A key from the hub (a new state, say) that no dictionary has yet shows as itself.
    const template = form ?? messages[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars[name];
      if (value === undefined) return whole;
      // Numbers go through the locale so Persian gets its own digits later.
      return typeof value === 'number' ? numbers.format(value) : isolate(value);
    });
  };
}
