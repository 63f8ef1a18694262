import { businessCalendar } from '../calendar/business-calendar.js';
import { nowruzHolidays } from '../calendar/holidays.js';
import { ALWAYS_OPEN, algeriaWorkingWeek, iranWorkingWeek } from '../calendar/working-week.js';
import { policyResolver, type EscalationLevel, type SlaPolicy } from '../policy/sla-policy.js';
import { HOUR, MINUTE } from './wall-clock.js';

/**
 * The calendars and policies the worked examples use.
 * - tehran-office: Sat–Wed 08:00–12:00 + 13:00–17:00, Thu 08:00–12:00, Fri closed, Nowruz 1405
 *   (Sat 2026-03-21 … Tue 2026-03-24) off.
 * - tehran-noc: open every hour of every day.
 * - algiers-office: Sun–Thu 08:00–12:00 + 13:00–16:30, Fri and Sat closed.
 */
export const calendars = {
  'tehran-office': businessCalendar({
    zone: 'Asia/Tehran',
    week: iranWorkingWeek(),
    holidays: nowruzHolidays(1405),
  }),
  'tehran-noc': businessCalendar({ zone: 'Asia/Tehran', week: ALWAYS_OPEN }),
  'algiers-office': businessCalendar({ zone: 'Africa/Algiers', week: algeriaWorkingWeek() }),
};

/** −30 min notify, 0 reassign, +60 min raise priority on resolution; −10 min remind on reply. */
export const escalations: EscalationLevel[] = [
  { name: 'notify', offsetMs: -30 * MINUTE, clocks: ['resolution'] },
  { name: 'reassign', offsetMs: 0, clocks: ['resolution'] },
  { name: 'raisePriority', offsetMs: 60 * MINUTE, clocks: ['resolution'] },
  { name: 'remind', offsetMs: -10 * MINUTE, clocks: ['firstResponse'] },
];

const policy = (p: Omit<SlaPolicy, 'warningShare' | 'escalations'>): SlaPolicy => ({
  warningShare: 0.8,
  escalations,
  ...p,
});

/** In this order: the first whose conditions match wins. */
export const policies: SlaPolicy[] = [
  policy({
    id: 'algiers',
    calendar: 'algiers-office',
    targets: { firstResponse: 30 * MINUTE, resolution: 4 * HOUR },
    conditions: { branch: ['alg-1'] },
  }),
  policy({
    id: 'urgent',
    calendar: 'tehran-office',
    targets: { firstResponse: 30 * MINUTE, resolution: 4 * HOUR },
    conditions: { priority: ['urgent', 'high'] },
  }),
  policy({
    id: 'standard',
    calendar: 'tehran-office',
    targets: { firstResponse: HOUR, resolution: 8 * HOUR },
  }),
  // Only ever set by hand (a policyChanged event): 'standard' above matches every ticket.
  policy({ id: 'critical-noc', calendar: 'tehran-noc', targets: { resolution: 6 * HOUR } }),
  policy({ id: 'express', calendar: 'tehran-office', targets: { resolution: HOUR } }),
];

export const resolver = policyResolver(policies);

export const tehranTicket = { tenant: 'acme', branch: 'thr-1', category: null } as const;
export const algiersTicket = { tenant: 'acme', branch: 'alg-1', category: null } as const;
