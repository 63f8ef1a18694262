import { notFound } from '../http/errors.js';
import type { CheckRepository } from '../fleet/check.repository.js';
import type { FieldStats, TimeseriesRepository } from './timeseries.repository.js';
import type { Period } from '../db/timescale-schema.js';

export type Resolution = 'raw' | Period;

export interface SeriesPoint {
  t: Date;
  rounds: number;
  failed: number;
  /** Per numeric field: its statistics over the bucket (for raw rounds n = 1). */
  stats: Record<string, FieldStats>;
  /** Raw rounds only: every RTT of the round, for the SmokePing-style spread. */
  samples?: (number | null)[] | null;
  reason?: string | null;
}

const HOUR = 3600_000;
const RAW_ROUNDS_LIMIT = 20_000;

/** The resolution that keeps a chart of [from, to) fast: raw up to 6 h, then rollups. */
export function resolutionFor(from: Date, to: Date): Resolution {
  const span = to.getTime() - from.getTime();
  if (span <= 6 * HOUR) return 'raw';
  if (span <= 72 * HOUR) return '1m';
  if (span <= 60 * 24 * HOUR) return '1h';
  return '1d';
}

/** One query layer over both storage paths: same questions, same answers. */
/** How many of a check's last rounds a heartbeat bar shows, from at most the last day. */
export const HEARTBEAT_ROUNDS = 30;
const HEARTBEAT_WINDOW_MS = 24 * 3600_000;

export class SeriesService {
  constructor(
    private readonly repo: TimeseriesRepository,
    private readonly checks: CheckRepository,
  ) {}

  /**
   * The last rounds of every check of the tenant, oldest first, for the overview's heartbeat
   * bars: whether each round was ok, and the share of ok rounds among them.
   */
  async heartbeats(scopeTenantId: string | null, now = new Date()) {
    const from = new Date(now.getTime() - HEARTBEAT_WINDOW_MS);
    const rows = await this.repo.heartbeats(scopeTenantId, from, HEARTBEAT_ROUNDS);
    const byCheck = new Map<string, { at: Date; ok: boolean }[]>();
    for (const r of rows) {
      const list = byCheck.get(r.check_id) ?? [];
      list.push({ at: r.at, ok: r.status === 'ok' });
      byCheck.set(r.check_id, list);
    }
    return {
      items: [...byCheck].map(([checkId, rounds]) => ({
        checkId,
        rounds,
        uptimePercent: Math.round((rounds.filter((x) => x.ok).length / rounds.length) * 1000) / 10,
      })),
    };
  }

  /**
   * The series answer (series.schemas.ts) as JSON text. Rollups come as the points' text
   * written by PostgreSQL (TimeseriesRepository.rollupPointsJson); raw rounds, at most a few
   * hundred per chart, are shaped here.
   */
  async seriesJson(
    checkId: string,
    from: Date,
    to: Date,
    scopeTenantId: string | null,
    resolution: Resolution = resolutionFor(from, to),
  ): Promise<string> {
    const check = await this.checks.findById(checkId);
    if (!check || (scopeTenantId && check.tenantId !== scopeTenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `check ${checkId} does not exist`);
    }
    let points: string;
    let rounds: number;
    let failed: number;
    if (resolution === 'raw') {
      const raw: SeriesPoint[] = (await this.repo.rounds(checkId, from, to, RAW_ROUNDS_LIMIT)).map(
        (r) => ({
          t: r.at,
          rounds: 1,
          failed: r.status === 'failed' ? 1 : 0,
          stats: rawStats(r.fields),
          samples: r.samples,
          reason: r.reason,
        }),
      );
      rounds = raw.length;
      failed = raw.reduce((n, p) => n + p.failed, 0);
      points = JSON.stringify(raw).slice(1, -1);
    } else {
      ({ points, rounds, failed } = await this.repo.rollupPointsJson(
        checkId,
        resolution,
        from,
        to,
      ));
    }
    const head = JSON.stringify({
      check: { id: check.id, key: check.key, type: check.type, target: check.target },
      from,
      to,
      resolution,
      /** Share of rounds that succeeded in the range, percent; null without rounds. */
      availability: {
        rounds,
        failed,
        percent: rounds === 0 ? null : ((rounds - failed) / rounds) * 100,
      },
    });
    return `${head.slice(0, -1)},"points":[${points}]}`;
  }
}

function rawStats(fields: Record<string, unknown>): Record<string, FieldStats> {
  const stats: Record<string, FieldStats> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value !== 'number') continue;
    stats[field] = { n: 1, min: value, max: value, mean: value, median: value };
  }
  return stats;
}
