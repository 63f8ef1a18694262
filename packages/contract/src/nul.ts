/**
 * NUL (U+0000) in text. JSON may carry it (`"\u0000"`), but PostgreSQL's `text` and `jsonb`
 * cannot store it ("invalid byte sequence", "unsupported Unicode escape sequence"): a payload
 * holding one would fail to commit on every resend and hold its agent up for ever. The codec
 * therefore replaces it with U+FFFD REPLACEMENT CHARACTER in every string and key, and says
 * where it did; an id holding one then fails its pattern and the payload is refused.
 */
export const NUL_REPLACEMENT = '\uFFFD';

/** JSON text can hold a NUL only as this escape (raw control characters are not JSON). */
const NUL_ESCAPE = '\\u0000';
/** A UTF-16 surrogate written as an escape: the only way JSON text can hold a lone one. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
/** A surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when `text` may hold a NUL or a lone surrogate: the cheap test before walking a parsed
 * payload. A lone surrogate (`"\ud800"`) is valid JSON and a valid JavaScript string, but
 * PostgreSQL's `jsonb` refuses it ("Unicode low surrogate must follow a high surrogate"), so it
 * is replaced like NUL.
 */
export const mayHoldNul = (text: string): boolean =>
  text.includes(NUL_ESCAPE) || SURROGATE_ESCAPE.test(text);

/** `s` with NUL and lone surrogates replaced by U+FFFD. */
const storable = (s: string) =>
  s.replaceAll('\0', NUL_REPLACEMENT).replace(new RegExp(LONE_SURROGATE, 'g'), NUL_REPLACEMENT);

/** Whether PostgreSQL can store `s` in text and jsonb: no NUL, no lone surrogate. */
export const isStorable = (s: string) => !s.includes('\0') && !LONE_SURROGATE.test(s);

/**
 * Replaces NUL in every string and key of `value`, in place where it can; returns the new
 * value and the path of the first string that held one (undefined: none did).
 */
export function replaceNul(value: unknown): { value: unknown; field: string | undefined } {
  let first: string | undefined;
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      if (isStorable(v)) return v;
      first ??= path;
      return storable(v);
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i], `${path}[${i}]`);
      return v;
    }
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) {
        const clean = isStorable(key) ? key : storable(key);
        const at = path ? `${path}.${clean}` : clean;
        if (clean !== key) first ??= at;
        out[clean] = walk(inner, at);
      }
      return out;
    }
    return v;
  };
  const cleaned = walk(value, '');
  return { value: cleaned, field: first };
}

/** Deeper than this, a payload or request body is refused before anything walks it. */
export const MAX_NESTING = 32;

/** Whether `value` nests objects or arrays deeper than `max`; walked without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const inner of Object.values(v)) stack.push({ v: inner, depth: depth + 1 });
  }
  return false;
}

export interface UnstorableText {
  /** Where: `q`, `items[2].name`; empty for the value itself. */
  field: string;
  problem: 'nul' | 'surrogate';
}

/**
 * A string or key of `value` that PostgreSQL cannot store: a NUL or a lone surrogate. Walked
 * with a stack of its own, so no input can exhaust the call stack (its depth is bounded
 * before, by nestedDeeperThan).
 */
export function findUnstorable(value: unknown): UnstorableText | undefined {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: '' }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorable(v)) return { field: path, problem: v.includes('\0') ? 'nul' : 'surrogate' };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const children: { v: unknown; path: string }[] = [];
    if (Array.isArray(v)) {
      v.forEach((inner, i) => children.push({ v: inner, path: `${path}[${i}]` }));
    } else {
      for (const [key, inner] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        if (!isStorable(key)) {
          return {
            field: key.includes('\0') ? at.replaceAll('\0', '\\0') : storable(at),
            problem: key.includes('\0') ? 'nul' : 'surrogate',
          };
        }
        children.push({ v: inner, path: at });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}
