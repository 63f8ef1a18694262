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
