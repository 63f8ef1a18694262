import type { Database } from '@branchwatch/hub';
import { waitFor } from './http.js';

export interface Ledger {
  batches: number;
  /** Results the stored batches say they carry. */
  claimed: number;
  /** Result rows stored. */
  results: number;
}

/** Batches, the results they claim and the results stored, from one snapshot (one statement). */
export async function ledger(db: Database): Promise<Ledger> {
  const row = (
    await db.raw(
      `SELECT (SELECT count(*) FROM result_batches)::int AS batches,
              (SELECT coalesce(sum(result_count), 0) FROM result_batches)::int AS claimed,
              (SELECT count(*) FROM check_results)::int AS results`,
    )
  ).rows[0] as Ledger;
  return row;
}

/**
 * The ledger once the hub has stopped storing: an agent stopped while a batch was in flight
 * may have its last batch committed after it exited (its PUBACK was never read).
 */
export async function settledLedger(db: Database): Promise<Ledger> {
  let last = await ledger(db);
  return waitFor('the hub to finish storing', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const now = await ledger(db);
    const settled = now.batches === last.batches && now.results === last.results;
    last = now;
    return settled ? now : undefined;
  });
}
