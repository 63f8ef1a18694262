import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations/index.js';

// Return bigint columns (ticket numbers, batch sequence numbers) as JS numbers: they stay far
// below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Database = Knex;

/** `url` may be found at connect time (a server whose port is known only once it runs). */
export function connectDatabase(
  url: string | (() => Promise<string>),
  pool = { min: 0, max: 10 },
): Database {
  const connection =
    typeof url === 'string' ? url : async () => ({ connectionString: await url() });
  return knexFactory({ client: 'pg', connection, pool });
}

export async function migrate(db: Database): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

/**
 * The pool API requests use, apart from the one ingest and background jobs use, so that no
 * number of requests can take the connections that acknowledge agents' batches. Its sessions
 * end a statement that runs too long and a transaction left waiting between statements
 * (PostgreSQL's statement_timeout and idle_in_transaction_session_timeout).
 */
export function connectApiDatabase(
  url: string,
  limits: { poolSize: number; statementTimeoutSeconds: number; idleInTransactionSeconds: number },
): Database {
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: url,
      statement_timeout: limits.statementTimeoutSeconds * 1000,
      idle_in_transaction_session_timeout: limits.idleInTransactionSeconds * 1000,
    },
    pool: { min: 0, max: limits.poolSize },
  });
}

/**
 * What to do about a database that is not UTF-8, or undefined for one that is. PostgreSQL on a
 * machine without a locale (a container with no LANG) makes SQL_ASCII databases; the hub's own
 * cluster has been made UTF-8 wherever it starts (embedded-postgres.ts), but a cluster an older
 * hub made keeps its encoding for good. In SQL_ASCII, Persian and accented text are bytes to
 * lower(), full-text search and the trigram index: searches in Persian and French find nothing
 * or fail. A backup restored into an empty data folder (or an empty UTF-8 database) moves the
 * data into UTF-8 (docs/disaster-recovery.md).
 */
export async function databaseEncodingWarning(
  db: Database,
  embeddedDataDir: string | undefined,
): Promise<string | undefined> {
  const result = await db.raw<{ rows: { server_encoding: string }[] }>('SHOW server_encoding');
  const encoding = result.rows[0]!.server_encoding;
  if (encoding === 'UTF8') return undefined;
  const what =
    `the hub's database is ${encoding}, not UTF-8` +
    (encoding === 'SQL_ASCII' ? ' (made on a machine without a locale)' : '') +
    ': Persian and accented text are bytes to it, so searches in Persian and French find nothing or fail.';
  const todo = embeddedDataDir
    ? ` To move it to UTF-8: back it up (pnpm hub:backup -- --out hub.tar.gz), stop the hub, move` +
      ` ${embeddedDataDir} aside, restore into the empty folder (pnpm hub:restore -- --in hub.tar.gz)` +
      ` and start the hub: it makes the new database in UTF-8 (docs/disaster-recovery.md).`
    : ` To move it to UTF-8: create an empty database with` +
      ` CREATE DATABASE … ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0,` +
      ` restore a backup of this one into it (docs/disaster-recovery.md) and point DATABASE_URL at it.`;
  return what + todo;
}

/**
 * A knex instance's pool counts (tarn's, which knex keeps as `client.pool` once the first query
 * made it): for bw_db_pool_connections, so a connection a request failed to give back shows.
 */
export function poolCounts(db: Database): { used: number; free: number; pending: number } {
  const pool = (
    db.client as {
      pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number };
    }
  ).pool;
  return pool
    ? { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() }
    : { used: 0, free: 0, pending: 0 };
}

/**
 * Calls `observe` with the seconds each query waited for a connection of `db`'s pool (tarn's,
 * https://github.com/Vincit/tarn.js, made with the knex instance), failed waits (timeouts) too.
 */
export function poolWaits(db: Database, observe: (seconds: number) => void): void {
  const pool = db.client.pool as unknown as {
    on(
      event: 'acquireRequest' | 'acquireSuccess' | 'acquireFail',
      handler: (id: number) => void,
    ): void;
  };
  const asked = new Map<number, number>();
  pool.on('acquireRequest', (id) => asked.set(id, performance.now()));
  const end = (id: number) => {
    const at = asked.get(id);
    if (at === undefined) return;
    asked.delete(id);
    observe((performance.now() - at) / 1000);
  };
  pool.on('acquireSuccess', end);
  pool.on('acquireFail', end);
}
