import type { AvailabilityService } from '../helpdesk/sla/availability.service.js';
import type { AutomationRepository, WatchedLink } from './automation.repository.js';
import type { Trigger } from './automation.schemas.js';

type AvailabilityTrigger = Extract<Trigger, { type: 'availability' }>;

export interface AvailabilityFiring {
  link: WatchedLink;
  percent: number;
  /** Once per check and period: `availability:<period start>`. */
  key: string;
  from: Date;
  to: Date;
}

/**
 * The period an availability trigger measures, as the monthly availability report counts it
 * (docs/sla.md, UTC): the calendar month, or the week from Monday 00:00 UTC.
 */
export function periodOf(period: 'month' | 'week', now: Date): { from: Date; to: Date } {
  if (period === 'month') {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    return { from, to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
  }
  const day = (now.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
  return { from, to: new Date(from.getTime() + 7 * 86_400_000) };
}

/**
 * Which watched links are below the trigger's share so far this period, read the way the
 * reports read availability (rounds when kept, else the minute rollups). The engine and the
 * simulator both ask this.
 */
export async function availabilityFirings(
  trigger: AvailabilityTrigger,
  tenantId: string,
  now: Date,
  deps: { repo: AutomationRepository; availability: AvailabilityService },
): Promise<{ firings: AvailabilityFiring[]; links: number }> {
  const { from, to } = periodOf(trigger.period, now);
  const links = await deps.repo.watchedLinks(tenantId, trigger.checkId);
  const firings: AvailabilityFiring[] = [];
  for (const link of links) {
    const a = await deps.availability.overPeriod(link.checkId, { from, to }, trigger.below, now);
    // A period without rounds has no outage: it reads 100 % and does not fire.
    if (a.percent >= trigger.below) continue;
    firings.push({ link, percent: a.percent, key: `availability:${from.toISOString()}`, from, to });
  }
  return { firings, links: links.length };
}
