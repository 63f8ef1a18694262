/**
 * PostgreSQL array literals (`{a,b,NULL}`) built with one `join` each, for statements that
 * take thousands of values as `?::type[]` parameters (ingest's group statements). Given a JS
 * array, the pg driver builds the literal by concatenating element after element and formats
 * every Date in local time with its offset; with a group of 2,000 batches that encoding was a
 * tenth of the hub's CPU in the fleet profile (docs/benchmarks.md, "Hub fleet"). PostgreSQL
 * reads the same text either way.
 */

/** uuids (from the database: hex digits and dashes, nothing to quote). */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/** Finite numbers (integer columns). */
export function numberArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

export function booleanArray(values: readonly boolean[]): string {
  return `{${values.map((v) => (v ? 't' : 'f')).join(',')}}`;
}

/** Instants as ISO 8601 in UTC (timestamptz); null is NULL. */
export function timestampArray(values: readonly (Date | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const d = values[i];
    parts[i] = d === null || d === undefined ? 'NULL' : d.toISOString();
  }
  return `{${parts.join(',')}}`;
}

const ELEMENT_SPECIAL = /[\\"]/g;

/** Text (or JSON text for jsonb[]), each element quoted; null is NULL. */
export function textArray(values: readonly (string | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] = v === null || v === undefined ? 'NULL' : `"${v.replace(ELEMENT_SPECIAL, '\\$&')}"`;
  }
  return `{${parts.join(',')}}`;
}
