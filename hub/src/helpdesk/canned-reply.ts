/**
 * Canned replies with variables. Rendering is one pass of plain substitution from a fixed
 * list — no expressions, no lookups by arbitrary path — so a subject that itself contains
 * `{{user.name}}` stays as written and a template cannot reach anything else.
 */
export const CANNED_VARIABLES = [
  'ticket.number',
  'ticket.subject',
  'branch.name',
  'user.name',
] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];
export type CannedValues = Record<CannedVariable, string | number | null>;

const PLACEHOLDER = /\{\{\s*([a-zA-Z_.]+)\s*\}\}/g;

/** The placeholders in a template that are not known variables. */
export function unknownVariables(template: string): string[] {
  const known = new Set<string>(CANNED_VARIABLES);
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name));
}

/** Fills the placeholders; a missing value (a ticket without a branch) becomes empty. */
export function renderCannedReply(template: string, values: CannedValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    (CANNED_VARIABLES as readonly string[]).includes(name)
      ? String(values[name as CannedVariable] ?? '')
      : whole,
  );
}
