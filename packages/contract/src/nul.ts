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

/** True when `text` may hold a NUL: the cheap test before walking a parsed payload. */
export const mayHoldNul = (text: string): boolean => text.includes(NUL_ESCAPE);

/**
 * Replaces NUL in every string and key of `value`, in place where it can; returns the new
 * value and the path of the first string that held one (undefined: none did).
 */
export function replaceNul(value: unknown): { value: unknown; field: string | undefined } {
  let first: string | undefined;
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('\0')) return v;
      first ??= path;
      return v.replaceAll('\0', NUL_REPLACEMENT);
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i], `${path}[${i}]`);
      return v;
    }
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) {
        const clean = key.includes('\0') ? key.replaceAll('\0', NUL_REPLACEMENT) : key;
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

/** The path of the first string or key in `value` holding a NUL (`q`, `items[2].name`), if any. */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\0')) return at.replaceAll('\0', '\\0');
      const found = findNul(inner, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
