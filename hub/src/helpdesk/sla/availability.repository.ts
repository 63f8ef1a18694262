import type { Database } from '../../db/database.js';

export interface CheckRef {
  id: string;
  key: string;
  type: string;
  target: string;
}

/** Reads of the time series for link availability (docs/tickets.md "Link availability"). */
export class AvailabilityRepository {
  constructor(private readonly db: Database) {}

  checksOfBranch(branchId: string): Promise<CheckRef[]> {
    return this.db('checks')
      .where({ branch_id: branchId })
      .orderBy('key')
      .select('id', 'key', 'type', 'target');
  }

  /** Rounds and failed rounds in [from, to), from the day rollups. */
  async roundCounts(checkId: string, from: Date, to: Date) {
    const row = await this.db('check_rollups')
      .where({ check_id: checkId, period: '1d' })
      .where('bucket', '>=', from)
      .where('bucket', '<', to)
      .first(
        this.db.raw('coalesce(sum(rounds), 0)::int AS rounds'),
        this.db.raw('coalesce(sum(failed), 0)::int AS failed'),
      );
    return { rounds: Number(row?.rounds ?? 0), failed: Number(row?.failed ?? 0) };
  }

  /**
   * Outages from the raw rounds: each run of failed rounds, from its first failed round to the
   * next good round (null while it lasts). Runs are found by the gaps-and-islands difference
   * of row numbers. Rounds from `lookback` before `from` catch a run that began earlier.
   */
  async outagesFromRounds(checkId: string, from: Date, to: Date, lookbackMs: number) {
    const result = await this.db.raw(
      `WITH r AS (
         SELECT at, status,
                row_number() OVER (ORDER BY at)
                  - row_number() OVER (PARTITION BY status = 'ok' ORDER BY at) AS run
         FROM check_results
         WHERE check_id = ? AND at >= ? AND at < ?),
       runs AS (
         SELECT min(at) AS first_at, max(at) AS last_at FROM r WHERE status <> 'ok' GROUP BY run)
       SELECT first_at AS "from",
              (SELECT min(c.at) FROM check_results c
               WHERE c.check_id = ? AND c.at > runs.last_at AND c.status = 'ok') AS "to"
       FROM runs ORDER BY first_at`,
      [checkId, new Date(from.getTime() - lookbackMs), to, checkId],
    );
    return result.rows as { from: Date; to: Date | null }[];
  }

  /** Whether any raw round of the check is stored in [from, to). */
  async hasRounds(checkId: string, from: Date, to: Date): Promise<boolean> {
    const row = await this.db('check_results')
      .where({ check_id: checkId })
      .where('at', '>=', from)
      .where('at', '<', to)
      .first('at');
    return row !== undefined;
  }

  /**
   * Outages from the minute rollups, for months whose raw rounds are past retention: each
   * minute in which every round failed.
   */
  async outagesFromMinutes(checkId: string, from: Date, to: Date) {
    const rows = await this.db('check_rollups')
      .where({ check_id: checkId, period: '1m' })
      .where('bucket', '>=', from)
      .where('bucket', '<', to)
      .whereRaw('failed = rounds AND rounds > 0')
      .orderBy('bucket')
      .select('bucket');
    return rows.map((r: { bucket: Date }) => ({
      from: r.bucket,
      to: new Date(r.bucket.getTime() + 60_000),
    }));
  }
}
