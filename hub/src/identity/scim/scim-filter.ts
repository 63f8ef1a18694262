import { ScimError } from './scim-errors.js';

/** One comparison of a SCIM filter (RFC 7644 §3.4.2.2) the hub answers: `attr eq "value"`. */
export interface EqFilter {
  /** Lower-case attribute path, as SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
  attribute: string;
  value: string;
}

/**
 * Parses the filters directories send when they look a resource up before creating it:
 * `userName eq "alice@example.org"`, `externalId eq "…"`, `displayName eq "…"`, and several
 * joined by `and`. Anything else is 400 `invalidFilter`, which tells the client that the hub
 * does not filter so (RFC 7644 §3.4.2.2), rather than an answer it would misread.
 */
export function parseFilter(text: string, allowed: readonly string[]): EqFilter[] {
  const parts: EqFilter[] = [];
  let rest = text.trim();
  for (;;) {
    const m = /^([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"/i.exec(rest);
    if (!m)
      throw new ScimError(
        400,
        `filter: only ${allowed.join(', ')} with "eq" (and "and") are supported`,
        'invalidFilter',
      );
    const attribute = m[1]!.toLowerCase();
    if (!allowed.map((a) => a.toLowerCase()).includes(attribute))
      throw new ScimError(400, `filter: cannot filter on ${m[1]}`, 'invalidFilter');
    parts.push({ attribute, value: JSON.parse(`"${m[2]!}"`) as string });
    rest = rest.slice(m[0].length).trim();
    if (rest === '') return parts;
    const and = /^and\s+/i.exec(rest);
    if (!and)
      throw new ScimError(400, `filter: cannot read "${rest.slice(0, 40)}"`, 'invalidFilter');
    rest = rest.slice(and[0].length);
  }
}
