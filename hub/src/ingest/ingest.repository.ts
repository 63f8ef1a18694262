import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProbeResult } from '@branchwatch/contract';
import type { Database } from '../db/database.js';
import {
  booleanArray,
  numberArray,
  textArray,
  timestampArray,
  uuidArray,
} from '../db/pg-arrays.js';
import type { Check } from '../fleet/check.model.js';

/**
 * The hot ingest path, beside the ORM (docs/architecture.md "Storage"). One transaction holds the batches
 * of a group (ingest/ingest-groups.ts) and each statement covers every batch of the group,
 * so that a group costs the same few round trips as one batch: claim (with the agents' last
 * contact), lock the checks, COPY the results, then the checks' progress with the dirty hours.
 * Rows are claimed and locked in a fixed order (agent, then seq or key), so that two hub
 * processes committing groups with the same agents wait for each other instead of deadlocking.
 */
export interface IngestTransaction {
  /**
   * Records the batches in the delivery ledger and that their agents were heard from at `at`.
   * Returns the (agent, seq) pairs that were new, as `claimKey`s; the others were stored before.
   */
  claimBatches(rows: BatchClaim[], at: Date): Promise<Set<string>>;
  /** Finds or creates the checks named by the results and locks them for this transaction. */
  lockChecks(specs: CheckSpecRow[]): Promise<LockedCheck[]>;
  /**
   * Inserts results and returns the count. Without `skipStored` (COPY) a result already stored
   * for (check, time) fails the transaction, and ingest stores the batches again with
   * `skipStored`, which skips such results (ingest.service.ts).
   */
  insertResults(rows: StoredResult[], skipStored: boolean): Promise<number>;
  /**
   * Writes where each check stands after the group (one row per check) and notes the hours the
   * results fall in, for the rollup job to recompute; one statement.
   */
  recordProgress(progress: CheckProgress[], results: StoredResult[]): Promise<void>;
}

export interface BatchClaim {
  agentId: string;
  seq: number;
  sentAt: Date;
  replayed: boolean;
  resultCount: number;
}

/** What ingest reads of a check it locked: what it is and where its alert state stands. */
export type LockedCheck = Pick<
  Check,
  | 'id'
  | 'tenantId'
  | 'branchId'
  | 'agentId'
  | 'key'
  | 'type'
  | 'target'
  | 'removedAt'
  | 'lastResultAt'
  | 'state'
  | 'stateSince'
  | 'failStreak'
  | 'okStreak'
  | 'streakSince'
>;

/** The columns of a `LockedCheck`, named as its fields. */
const LOCKED_COLUMNS = `id, tenant_id AS "tenantId", branch_id AS "branchId", agent_id AS "agentId",
  key, type, target, removed_at AS "removedAt", last_result_at AS "lastResultAt", state,
  state_since AS "stateSince", fail_streak AS "failStreak", ok_streak AS "okStreak",
  streak_since AS "streakSince"`;

/** A check as a batch names it. */
export interface CheckSpecRow {
  agentId: string;
  tenantId: string;
  branchId: string;
  key: string;
  type: string;
  target: string;
}

/** The key of a claimed batch in the set `claimBatches` returns. */
export const claimKey = (agentId: string, seq: number) => `${agentId}/${seq}`;

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

const RESULT_COLUMNS = 'check_id, at, status, reason, fields, samples, replayed, batch_seq';
const HOUR_MS = 3600_000;
/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';

function bind(trx: Knex.Transaction): IngestTransaction {
  const raw = (sql: string, bindings: unknown[]) =>
    trx.raw(sql, bindings as unknown as Knex.RawBinding[]);

  /** The slower path that skips results stored before: arrays unnested by PostgreSQL. */
  async function insertSkippingStored(rows: StoredResult[]): Promise<number> {
    const result = await raw(
      `INSERT INTO check_results (${RESULT_COLUMNS})
       SELECT r.check_id, r.at, r.status, r.reason, r.fields, r.samples::real[], r.replayed,
              r.batch_seq
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
        rows.map((r) => samplesLiteral(r.result)),
        rows.map((r) => r.replayed),
        rows.map((r) => r.batchSeq),
      ],
    );
    return result.rowCount ?? 0;
  }

  return {
    async claimBatches(rows, at) {
      if (rows.length === 0) return new Set();
      const sorted = [...rows].sort((a, b) => compare(a.agentId, b.agentId) || a.seq - b.seq);
      const agents = [...new Set(sorted.map((r) => r.agentId))];
      const claimed = await raw(
        `WITH claimed AS (
           INSERT INTO result_batches (agent_id, seq, sent_at, replayed, result_count)
           SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::timestamptz[], ?::boolean[], ?::int[])
           ON CONFLICT (agent_id, seq) DO NOTHING
           RETURNING agent_id, seq
         ), heard AS (
           UPDATE agents SET last_seen_at = ? WHERE id = ANY (?::uuid[])
         )
         SELECT agent_id, seq FROM claimed`,
        [
          uuidArray(sorted.map((r) => r.agentId)),
          numberArray(sorted.map((r) => r.seq)),
          timestampArray(sorted.map((r) => r.sentAt)),
          booleanArray(sorted.map((r) => r.replayed)),
          numberArray(sorted.map((r) => r.resultCount)),
          at,
          uuidArray(agents),
        ],
      );
      const returned = claimed.rows as { agent_id: string; seq: number }[];
      return new Set(returned.map((r) => claimKey(r.agent_id, Number(r.seq))));
    },

    async lockChecks(specs) {
      if (specs.length === 0) return [];
      const sorted = [...specs].sort(
        (a, b) => compare(a.agentId, b.agentId) || compare(a.key, b.key),
      );
      // Not FOR UPDATE: foreign keys to checks (rollups, state changes) take KEY
      // SHARE, which FOR UPDATE blocks. The rollup job holds dirty hours this group may
      // insert and then adds rollups of these checks: that made a deadlock. NO KEY UPDATE
      // still keeps two ingests of the same checks one after the other. Plain rows, not
      // models: building thousands of models per second showed in the profile.
      const lock = async () =>
        (
          await raw(
            `SELECT ${LOCKED_COLUMNS} FROM checks
             WHERE (agent_id, key) IN (SELECT * FROM unnest(?::uuid[], ?::text[]))
             ORDER BY agent_id, key
             FOR NO KEY UPDATE`,
            [uuidArray(sorted.map((s) => s.agentId)), textArray(sorted.map((s) => s.key))],
          )
        ).rows as LockedCheck[];
      // Known checks are only locked; rows are written only for new checks and for checks
      // whose type or target changed (the hot path). A removed check stays removed: its late
      // rounds are stored, and it comes back only when the agent says it runs it again
      // (CheckRepository.reconcileReported), never as a file check by a round in flight.
      let checks = await lock();
      const known = new Map(checks.map((c) => [`${c.agentId}\n${c.key}`, c]));
      const stale = sorted.filter((s) => {
        const c = known.get(`${s.agentId}\n${s.key}`);
        return !c || c.type !== s.type || c.target !== s.target;
      });
      if (stale.length > 0) {
        await trx('checks')
          .insert(
            stale.map((s) => ({
              tenant_id: s.tenantId,
              branch_id: s.branchId,
              agent_id: s.agentId,
              key: s.key,
              type: s.type,
              target: s.target,
            })),
          )
          .onConflict(['agent_id', 'key'])
          .merge({ type: trx.raw('excluded.type'), target: trx.raw('excluded.target') });
        checks = await lock();
      }
      return checks;
    },

    async insertResults(rows, skipStored) {
      if (rows.length === 0) return 0;
      // COPY is about twice as fast as an array insert with ON CONFLICT (≈ 430k against
      // 150-235k rows/s, measured on the build machines) but has no ON CONFLICT. Results of a
      // newly claimed batch are new unless an agent sent the same rounds under another seq:
      // that is rare, so every transaction copies straight away, and one that meets a stored
      // round is stored again with the insert that skips it (ingest.service.ts). A savepoint
      // around the COPY would cost two more round trips in every transaction of one batch.
      if (skipStored) return insertSkippingStored(rows);
      const connection = (await trx.client.acquireConnection()) as PoolClient;
      return copyInto(
        connection,
        `COPY check_results (${RESULT_COLUMNS}) FROM STDIN`,
        rows.map(copyLine).join(''),
      );
    },

    async recordProgress(progress, results) {
      if (progress.length === 0 && results.length === 0) return;
      const rows = [...progress].sort((a, b) => compare(a.id, b.id));
      const hours = dirtyHours(results);
      // One UPDATE for every check of the group instead of one per check (docs/benchmarks.md).
      await raw(
        `WITH dirty AS (
           INSERT INTO rollup_dirty_hours (check_id, hour)
           SELECT * FROM unnest(?::uuid[], ?::timestamptz[])
           ON CONFLICT (check_id, hour) DO NOTHING
         )
         UPDATE checks AS c SET
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
          uuidArray(hours.map((h) => h.checkId)),
          timestampArray(hours.map((h) => h.hour)),
          uuidArray(rows.map((r) => r.id)),
          timestampArray(rows.map((r) => r.lastResultAt)),
          textArray(rows.map((r) => r.lastStatus)),
          textArray(rows.map((r) => r.lastReason)),
          textArray(rows.map((r) => JSON.stringify(r.lastFields))),
          textArray(rows.map((r) => r.state)),
          timestampArray(rows.map((r) => r.stateSince)),
          numberArray(rows.map((r) => r.failStreak)),
          numberArray(rows.map((r) => r.okStreak)),
          timestampArray(rows.map((r) => r.streakSince)),
        ],
      );
    },
  };
}

/** True for PostgreSQL's unique_violation, e.g. a round stored before under another seq. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === UNIQUE_VIOLATION;
}

/** One row of COPY text format, in the order of RESULT_COLUMNS. */
function copyLine({ checkId, result, replayed, batchSeq }: StoredResult): string {
  const samples = samplesLiteral(result);
  return [
    checkId,
    copyText(result.at),
    result.status,
    result.reason === undefined ? '\\N' : copyText(result.reason),
    copyText(JSON.stringify(result.fields)),
    samples === null ? '\\N' : samples,
    replayed ? 't' : 'f',
    String(batchSeq),
  ]
    .join('\t')
    .concat('\n');
}

/** RTT samples as a real[] literal, or null when the probe sends none. */
function samplesLiteral(result: ProbeResult): string | null {
  if (!('samples' in result) || !result.samples) return null;
  return `{${result.samples.map(sampleText).join(',')}}`;
}

// Below real's smallest normal value PostgreSQL refuses the number ("out of range"): 0 then.
const sampleText = (s: number | null) => (s === null ? 'NULL' : s < 1e-30 ? '0' : String(s));

/** The distinct (check, UTC hour) pairs of the results, in lock order. */
function dirtyHours(rows: StoredResult[]): { checkId: string; hour: Date }[] {
  const hours = new Map<string, { checkId: string; hour: Date }>();
  for (const { checkId, result } of rows) {
    const hour = Math.floor(Date.parse(result.at) / HOUR_MS) * HOUR_MS;
    const key = `${checkId}@${hour}`;
    if (!hours.has(key)) hours.set(key, { checkId, hour: new Date(hour) });
  }
  return [...hours.values()].sort(
    (a, b) => compare(a.checkId, b.checkId) || a.hour.getTime() - b.hour.getTime(),
  );
}

/** Code-point order, the same in every hub process (rows are locked in this order). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Runs `COPY … FROM STDIN` on the transaction's own connection with pg-copy-streams (the pg
 * client speaks the copy-in sub-protocol but ships no stream for it). Resolves with the number
 * of rows copied.
 */
async function copyInto(connection: PoolClient, sql: string, text: string): Promise<number> {
  const stream = connection.query(copyFrom(sql));
  await pipeline(Readable.from([Buffer.from(text)]), stream);
  return stream.rowCount ?? 0;
}

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

const COPY_SPECIAL = /[\\\t\n\r]/g;
const escapeCopy = (c: string) => COPY_ESCAPES[c]!;

/** A value in COPY text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return value.replace(COPY_SPECIAL, escapeCopy);
}
