import type { z } from 'zod';
import { MAX_NESTING, findUnstorable, formatPath, nestedDeeperThan } from '@branchwatch/contract';
import { apiError } from './errors.js';

const UNSTORABLE = {
  nul: 'must not contain the NUL character (U+0000)',
  surrogate: 'must be valid Unicode text (it holds half of a surrogate pair, such as \\ud800)',
};

/**
 * Parses request input, or throws a 400 that names the field. Text holding NUL (U+0000) is
 * refused before the schema sees it, in every query and body: PostgreSQL stores no NUL in text
 * and refuses it even as a query parameter, which would otherwise surface as a 500 (or, in a
 * streamed CSV export, as an answer broken off in the middle). The same for a lone surrogate
 * (`"\ud800"`, which jsonb refuses) and for input nested deeper than any route takes.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  // Depth first: every later walk (and the schema's) is then bounded.
  if (nestedDeeperThan(input, MAX_NESTING)) {
    throw apiError(400, 'BW_ERR_VALIDATION', `nested deeper than ${MAX_NESTING} levels`, {
      field: '',
    });
  }
  const bad = findUnstorable(input);
  if (bad) {
    const message = UNSTORABLE[bad.problem];
    throw apiError(400, 'BW_ERR_VALIDATION', bad.field ? `${bad.field}: ${message}` : message, {
      field: bad.field,
    });
  }
  const unsafe = findPrototypeKey(input);
  if (unsafe !== undefined)
    throw apiError(400, 'BW_ERR_VALIDATION', `${unsafe}: not an accepted name`, {
      field: unsafe,
    });
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = formatPath(issue.path);
  throw apiError(400, 'BW_ERR_VALIDATION', field ? `${field}: ${issue.message}` : issue.message, {
    field,
  });
}

// Names that reach an object's prototype when code copies keys into another object.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first key `__proto__`, `constructor` or `prototype`, at any depth. */
function findPrototypeKey(value: unknown, path = ''): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key)) return at;
    const found = findPrototypeKey((value as Record<string, unknown>)[key], at);
    if (found !== undefined) return found;
  }
  return undefined;
}
