import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.js';
import { connectDatabase, type Database } from './database.js';
import { booleanArray, numberArray, textArray, timestampArray, uuidArray } from './pg-arrays.js';

/**
 * The literals ingest passes as `?::type[]` read back in PostgreSQL as the values they were
 * built from, as the arrays the pg driver encoded before did: quotes, backslashes, braces,
 * commas, blanks, the word NULL, JSON text and non-Latin text in text elements; null elements;
 * instants to the millisecond.
 */
let db: Database;
beforeAll(async () => {
  db = connectDatabase(await createTestDatabase());
});
afterAll(async () => {
  await db.destroy();
});

const texts = [
  'plain',
  'with "quotes" and \\backslash\\',
  '{braces}, commas, and  spaces ',
  'NULL',
  '',
  'تبریز — École',
  JSON.stringify({ reason: 'said "no"', path: 'C:\\agent', nested: { list: [1, null] } }),
  null,
];

it('reads text, JSON text and null elements back as they were', async () => {
  const { rows } = await db.raw<{ rows: { v: (string | null)[]; j: unknown[] }[] }>(
    'SELECT ?::text[] AS v, ?::jsonb[] AS j',
    [textArray(texts), textArray([texts[6]!, null])],
  );
  expect(rows[0]!.v).toEqual(texts);
  expect(rows[0]!.j).toEqual([JSON.parse(texts[6]!), null]);
});

it('reads uuids, numbers, booleans and instants back as they were', async () => {
  const ids = ['0b9c1f3e-6a43-4b8e-9d5e-2f6a7c8d9e01', 'ffffffff-0000-4000-8000-000000000000'];
  const instants = [new Date('2026-12-07T10:00:00.123Z'), null, new Date(0)];
  const { rows } = await db.raw<{
    rows: { u: string[]; n: string[]; i: number[]; b: boolean[]; t: (Date | null)[] }[];
  }>(
    'SELECT ?::uuid[] AS u, ?::bigint[] AS n, ?::int[] AS i, ?::boolean[] AS b, ?::timestamptz[] AS t',
    [
      uuidArray(ids),
      numberArray([1, 9007199254740991, 0]),
      numberArray([-3, 0, 42]),
      booleanArray([true, false, true]),
      timestampArray(instants),
    ],
  );
  const row = rows[0]!;
  expect(row.u).toEqual(ids);
  expect(row.n.map(Number)).toEqual([1, 9007199254740991, 0]);
  expect(row.i).toEqual([-3, 0, 42]);
  expect(row.b).toEqual([true, false, true]);
  expect(row.t.map((d) => d?.toISOString() ?? null)).toEqual(
    instants.map((d) => d?.toISOString() ?? null),
  );
});

it('makes empty arrays', async () => {
  const { rows } = await db.raw<{ rows: { u: string[]; v: string[] }[] }>(
    'SELECT ?::uuid[] AS u, ?::text[] AS v',
    [uuidArray([]), textArray([])],
  );
  expect(rows[0]).toEqual({ u: [], v: [] });
});
