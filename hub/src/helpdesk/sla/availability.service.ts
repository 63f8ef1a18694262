import { availability } from '@branchwatch/sla';
import { apiError, notFound } from '../../http/errors.js';
import type { AvailabilityRepository } from './availability.repository.js';
import type { BranchRepository } from '../../fleet/branch.repository.js';

const LOOKBACK_MS = 86400_000;

/**
 * Link availability SLA: a branch's checks over a calendar month (UTC) against a target, from
 * the time series, with the outages listed (docs/tickets.md "Link availability").
 */
export class AvailabilityService {
  constructor(
    private readonly repo: AvailabilityRepository,
    private readonly branches: BranchRepository,
  ) {}

  async monthly(
    branchId: string,
    tenantId: string | null,
    month: string,
    targetPercent: number,
    checkKey: string | undefined,
    now = new Date(),
  ) {
    const branch = await this.branches.findById(branchId);
    if (!branch || (tenantId && branch.tenantId !== tenantId)) {
      throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${branchId} does not exist`);
    }
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    const period = {
      from: new Date(Date.UTC(year, monthNumber - 1, 1)),
      to: new Date(Date.UTC(year, monthNumber, 1)),
    };
    if (period.from > now) {
      throw apiError(400, 'BW_ERR_VALIDATION', `month: ${month} has not begun`, { field: 'month' });
    }
    const until = now < period.to ? now : period.to;
    const checks = (await this.repo.checksOfBranch(branchId)).filter(
      (c) => checkKey === undefined || c.key === checkKey,
    );
    const items = [];
    for (const check of checks) {
      const raw = await this.repo.hasRounds(check.id, period.from, period.to);
      const outages = raw
        ? await this.repo.outagesFromRounds(check.id, period.from, until, LOOKBACK_MS)
        : await this.repo.outagesFromMinutes(check.id, period.from, until);
      const result = availability(outages, period, targetPercent, until);
      items.push({
        check: { id: check.id, key: check.key, type: check.type, target: check.target },
        source: raw ? 'rounds' : 'minute_rollups',
        ...(await this.repo.roundCounts(check.id, period.from, period.to)),
        ...result,
      });
    }
    return { branchId, month, period, targetPercent, items };
  }

  /** One check's availability over any period (a report's range), against a target. */
  async overPeriod(
    checkId: string,
    period: { from: Date; to: Date },
    targetPercent: number,
    now = new Date(),
  ) {
    const until = now < period.to ? now : period.to;
    const raw = await this.repo.hasRounds(checkId, period.from, period.to);
    const outages = raw
      ? await this.repo.outagesFromRounds(checkId, period.from, until, LOOKBACK_MS)
      : await this.repo.outagesFromMinutes(checkId, period.from, until);
    const counts = await this.repo.roundCounts(checkId, period.from, period.to);
    return { ...availability(outages, period, targetPercent, until), rounds: counts.rounds };
  }
}
