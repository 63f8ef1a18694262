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
  updateCheck(id: string, patch: Partial<Check>): Promise<void>;
  /** Notes the hours these rounds fall in, for the rollup job to recompute. */
  markDirty(rows: { checkId: string; at: string }[]): Promise<void>;
  /** Records that the agent was heard from. */
  touchAgent(agentId: string, at: Date): Promise<void>;
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
      await trx('checks')
        .insert(
          specs.map((s) => ({
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
      const checks = await Check.query(trx)
        .where('agent_id', agent.id)
        .whereIn(
          'key',
          specs.map((s) => s.key),
        )
        .orderBy('key')
        .forUpdate();
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

    async updateCheck(id, patch) {
      await Check.query(trx).findById(id).patch(patch);
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
