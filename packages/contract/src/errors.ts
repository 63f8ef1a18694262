/** Why a payload was refused. Stable strings: they label the hub's rejection counters. */
export type DecodeErrorCode = 'too_large' | 'malformed_json' | 'unsupported_version' | 'invalid';

/**
 * A payload that does not satisfy the contract. `field` names the first offending field as a
 * path such as `results[3].fields.loss` (empty for problems with the payload as a whole).
 */
export class ContractDecodeError extends Error {
  constructor(
    readonly code: DecodeErrorCode,
    readonly field: string,
    readonly detail: string,
  ) {
    super(field ? `${field}: ${detail}` : detail);
    this.name = 'ContractDecodeError';
  }
}

/**
 * A decoded payload, or why it was refused. `repaired` names the first field whose text held a
 * NUL, replaced by U+FFFD (nul.ts); the receiver counts it.
 */
export type Decoded<T> =
  { ok: true; value: T; repaired?: string } | { ok: false; error: ContractDecodeError };

/** Formats a zod issue path (`['results', 3, 'fields', 'loss']`) as `results[3].fields.loss`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
