/**
 * CSV as RFC 4180 writes it: CRLF between records; a field holding a comma, a double quote,
 * CR or LF is quoted, with quotes doubled (§2.5–2.7). A text starting with = + - @ or a tab
 * gets a leading apostrophe so spreadsheets do not run it as a formula (OWASP "CSV Injection").
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * U+FEFF first: Excel reads a CSV without it in the machine's legacy code page, which turns
 * Persian (and French accents) into mojibake; with it, as UTF-8. Every CSV the hub serves starts
 * with it.
 */
export const CSV_BOM = '\uFEFF';

export function csvRecord(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
