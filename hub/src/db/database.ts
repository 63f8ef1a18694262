import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations/index.js';

// Return bigint columns (ticket numbers, batch sequence numbers) as JS numbers: they stay far
// below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Database = Knex;

export function connectDatabase(url: string, pool = { min: 0, max: 10 }): Database {
  return knexFactory({ client: 'pg', connection: url, pool });
}

export async function migrate(db: Database): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}
