// Coordinates as people type or paste them: Persian or Arabic digits, a Persian decimal
// separator, or both numbers at once from a map app.

const DIGITS: Record<string, string> = Object.fromEntries(
  [...'۰۱۲۳۴۵۶۷۸۹', ...'٠١٢٣٤٥٦٧٨٩'].map((d, i) => [d, String(i % 10)]),
);

/** ASCII digits, "." for the Persian and Arabic decimal separators, "-" for the minus sign. */
function latinNumber(text: string): string {
  return text
    .trim()
    .replace(/[۰-۹٠-٩]/g, (d) => DIGITS[d]!)
    .replace(/[٫]/g, '.')
    .replace(/[−‒–]/g, '-');
}

/** A coordinate field's value: null when empty, NaN when it is not a number. */
export function parseCoordinate(text: string): number | null {
  const latin = latinNumber(text);
  if (latin === '') return null;
  return /^-?\d+(\.\d+)?$/.test(latin) ? Number(latin) : NaN;
}

/** "35.6892, 51.3890" (or with a space or "،" between) as [latitude, longitude]; else null. */
export function splitCoordinates(text: string): [string, string] | null {
  const match = /^\s*(-?[\d.]+)\s*[,،;\s]\s*(-?[\d.]+)\s*$/.exec(latinNumber(text));
  return match ? [match[1]!, match[2]!] : null;
}
