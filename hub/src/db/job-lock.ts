import type { Knex } from 'knex';
import type { Database } from './database.js';

/**
 * Runs `work` in a transaction holding the advisory lock `name`, or not at all (undefined) when
 * another hub process holds it: jobs that must run once across hub processes — rollups, SLA
 * sweeps, incident reconciliation (docs/architecture.md "Scale"). The lock is released with the
 * transaction; work that uses other connections still runs while it is held.
 */
export async function runExclusively<T>(
  db: Database,
  name: string,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T | undefined> {
  return db.transaction(async (trx) => {
    const lock = await trx.raw('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS ok', [name]);
    if (!(lock.rows[0] as { ok: boolean }).ok) return undefined;
    return work(trx);
  });
}

/**
 * Runs the jobs given to it one after another in this process. Jobs that hold an advisory lock
 * on one connection while their work asks the pool for another must take turns when they start
 * together: with a small pool, two of them could each hold a connection and wait for the other's.
 */
export function oneAtATime(): <T>(job: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (job) => {
    const run = last.then(job, job);
    last = run.catch(() => undefined);
    return run;
  };
}
