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
