import { ScimError } from './scim-errors.js';

/** One operation of a PATCH request (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  /** Lower-case path, or undefined: `value` is an object of attributes. */
  path?: string;
  value?: unknown;
}

/**
 * Reads the Operations of a PatchOp message. Directories differ in spelling: Entra ID writes
 * `"op": "Replace"` and booleans as the strings "True"/"False"; both are accepted, as RFC 7644
 * §3.5.2 makes op names case-insensitive.
 */
export function readOperations(body: unknown): PatchOperation[] {
  const ops = (body as { Operations?: unknown } | null)?.Operations;
  if (!Array.isArray(ops) || ops.length === 0)
    throw new ScimError(400, 'Operations: a list of operations is needed', 'invalidSyntax');
  return ops.map((raw, i) => {
    const o = raw as { op?: unknown; path?: unknown; value?: unknown };
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimError(400, `Operations[${i}].op: add, replace or remove`, 'invalidSyntax');
    if (o.path !== undefined && typeof o.path !== 'string')
      throw new ScimError(400, `Operations[${i}].path: a string`, 'invalidPath');
    if (op === 'remove' && o.path === undefined)
      throw new ScimError(400, `Operations[${i}]: remove needs a path`, 'noTarget');
    return {
      op,
      ...(o.path !== undefined ? { path: (o.path as string).trim() } : {}),
      value: o.value,
    };
  });
}

/** SCIM booleans as directories send them: true/false, or "True"/"False". */
export function scimBoolean(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value))
    return value.toLowerCase() === 'true';
  throw new ScimError(400, `${field}: true or false`, 'invalidValue');
}

/** `members[value eq "id"]` → the id; undefined for other paths. */
export function memberFilterOf(path: string): string | undefined {
  const m = /^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$/i.exec(path);
  return m?.[1];
}
