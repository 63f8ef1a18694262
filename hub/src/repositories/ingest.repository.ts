import type { Knex } from 'knex';
import type { ProbeResult } from '@branchwatch/contract';
import type { Database } from '../db/database.js';
import { Check } from '../models/check.model.js';

/**
 * The hot ingest path. Results bypass the ORM and go in as array inserts (DESIGN.md "Storage"),
 * all inside one transaction per batch, so that the batch is either stored whole or not at all.
 */
export interface IngestTransaction {
  /** Records the batch in the delivery ledger; false when (agent, seq) was stored before. */
  claimBatch(row: {
    agentId: string;
    seq: number;
    sentAt: Date;
    replayed: boolean;
    resultCount: number;
  }): Promise<boolean>;
  /** Finds or creates the checks named by the results and locks them for this transaction. */
  lockChecks(
    agent: { id: string; tenantId: string; branchId: string },
    specs: { key: string; type: string; target: string }[],
  ): Promise<Map<string, Check>>;
  /** Inserts results; a result already stored for (check, time) is skipped. Returns the count. */
  insertResults(rows: StoredResult[]): Promise<number>;
  /** Writes where each check stands after the batch, all checks in one statement. */
  updateChecks(rows: CheckProgress[]): Promise<void>;
  /** Notes the hours these rounds fall in, for the rollup job to recompute. */
  markDirty(rows: { checkId: string; at: string }[]): Promise<void>;
  /** Records that the agent was heard from. */
  touchAgent(agentId: string, at: Date): Promise<void>;
}

/** A check's last result and alert counters after a batch. */
export interface CheckProgress {
  id: string;
  lastResultAt: Date;
  lastStatus: 'ok' | 'failed';
  lastReason: string | null;
  lastFields: Record<string, unknown>;
  state: Check['state'];
  stateSince: Date | null;
  failStreak: number;
  okStreak: number;
  streakSince: Date | null;
}

export interface StoredResult {
  checkId: string;
  result: ProbeResult;
  replayed: boolean;
  batchSeq: number;
}

export class IngestRepository {
  constructor(private readonly db: Database) {}

  transaction<T>(work: (tx: IngestTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction((trx) => work(bind(trx)));
  }
}

function bind(trx: Knex.Transaction): IngestTransaction {
  return {
    async claimBatch(row) {
      const inserted = await trx('result_batches')
        .insert({
          agent_id: row.agentId,
          seq: row.seq,
          sent_at: row.sentAt,
          replayed: row.replayed,
          result_count: row.resultCount,
        })
        .onConflict(['agent_id', 'seq'])
        .ignore()
        .returning('seq');
      return inserted.length === 1;
    },

    async lockChecks(agent, specs) {
      if (specs.length === 0) return new Map();
      const keys = specs.map((s) => s.key);
      const lock = () =>
        Check.query(trx)
          .where('agent_id', agent.id)
          .whereIn('key', keys)
          .orderBy('key')
          .forUpdate();
      // Known checks are only locked; rows are written only for new checks and for checks
      // whose type or target changed or that come back after removal (the hot path).
      let checks = await lock();
      const known = new Map(checks.map((c) => [c.key, c]));
      const stale = specs.filter((s) => {
        const c = known.get(s.key);
        return !c || c.type !== s.type || c.target !== s.target || c.removedAt !== null;
      });
      if (stale.length > 0) {
        await trx('checks')
          .insert(
            stale.map((s) => ({
              tenant_id: agent.tenantId,
              branch_id: agent.branchId,
              agent_id: agent.id,
              key: s.key,
              type: s.type,
              target: s.target,
            })),
          )
          .onConflict(['agent_id', 'key'])
          // A check that reports again is active again, even if it was removed from the config.
          .merge({
            type: trx.raw('excluded.type'),
            target: trx.raw('excluded.target'),
            removed_at: null,
          });
        checks = await lock();
      }
      return new Map(checks.map((c) => [c.key, c]));
    },

    async insertResults(rows) {
      if (rows.length === 0) return 0;
      // One statement for the whole batch: columns as arrays, unnested by PostgreSQL.
      const samples = rows.map((r) =>
        'samples' in r.result && r.result.samples
          ? `{${r.result.samples.map((s) => (s === null ? 'NULL' : String(s))).join(',')}}`
          : null,
      );
      const result = await trx.raw(
        `INSERT INTO check_results (check_id, at, status, reason, fields, samples, replayed, batch_seq)
         SELECT r.check_id, r.at, r.status, r.reason, r.fields, r.samples::real[], r.replayed, r.batch_seq
         FROM unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::jsonb[],
                     ?::text[], ?::boolean[], ?::bigint[])
           AS r(check_id, at, status, reason, fields, samples, replayed, batch_seq)
         ON CONFLICT (check_id, at) DO NOTHING`,
        [
          rows.map((r) => r.checkId),
          rows.map((r) => r.result.at),
          rows.map((r) => r.result.status),
          rows.map((r) => r.result.reason ?? null),
          rows.map((r) => JSON.stringify(r.result.fields)),
          samples,
          rows.map((r) => r.replayed),
          rows.map((r) => r.batchSeq),
        ] as unknown as Knex.RawBinding[],
      );
      return result.rowCount ?? 0;
    },

    async updateChecks(rows) {
      if (rows.length === 0) return;
      // One UPDATE for the batch instead of one per check: the hot path (docs/benchmarks.md).
      await trx.raw(
        `UPDATE checks AS c SET
           last_result_at = u.last_result_at, last_status = u.last_status,
           last_reason = u.last_reason, last_fields = u.last_fields, state = u.state,
           state_since = u.state_since, fail_streak = u.fail_streak, ok_streak = u.ok_streak,
           streak_since = u.streak_since
         FROM unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::jsonb[], ?::text[],
                     ?::timestamptz[], ?::int[], ?::int[], ?::timestamptz[])
           AS u(id, last_result_at, last_status, last_reason, last_fields, state, state_since,
                fail_streak, ok_streak, streak_since)
         WHERE c.id = u.id`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.lastResultAt),
          rows.map((r) => r.lastStatus),
          rows.map((r) => r.lastReason),
          rows.map((r) => JSON.stringify(r.lastFields)),
          rows.map((r) => r.state),
          rows.map((r) => r.stateSince),
          rows.map((r) => r.failStreak),
          rows.map((r) => r.okStreak),
          rows.map((r) => r.streakSince),
        ] as unknown as Knex.RawBinding[],
      );
    },

    async markDirty(rows) {
      if (rows.length === 0) return;
      await trx.raw(
        `INSERT INTO rollup_dirty_hours (check_id, hour)
         SELECT DISTINCT r.check_id, date_trunc('hour', r.at, 'UTC')
         FROM unnest(?::uuid[], ?::timestamptz[]) AS r(check_id, at)
         ON CONFLICT (check_id, hour) DO NOTHING`,
        [rows.map((r) => r.checkId), rows.map((r) => r.at)] as unknown as Knex.RawBinding[],
      );
    },

    async touchAgent(agentId, at) {
      await trx('agents').where({ id: agentId }).update({ last_seen_at: at });
    },
  };
}
