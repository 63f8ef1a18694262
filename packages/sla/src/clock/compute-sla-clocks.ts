import type { BusinessCalendar } from '../calendar/business-calendar.js';
import type { ClockKind, PolicyResolver, SlaPolicy } from '../policy/sla-policy.js';
import { replayTicket } from './clock-timeline.js';
import { evaluateClock, type SlaClock } from './sla-clock.js';
import type { TicketEvent } from './ticket-events.js';

/** Business calendars by the key policies name them with. */
export type CalendarsByKey = Readonly<Record<string, BusinessCalendar>>;

/** A ticket's clocks; null where no policy applies or the policy sets no such target. */
export type SlaClocks = Record<ClockKind, SlaClock | null>;

/**
 * Rebuilds a ticket's SLA clocks from its event log as of `now` (later events are ignored), so
 * the same log always gives the same clocks, whatever was stored before.
 */
export function computeSlaClocks(
  events: readonly TicketEvent[],
  policies: PolicyResolver,
  calendars: CalendarsByKey,
  now: Date,
): SlaClocks {
  const calendarOf = (policy: SlaPolicy): BusinessCalendar => {
    const calendar = calendars[policy.calendar];
    if (!calendar) {
      throw new RangeError(`SLA policy "${policy.id}" names unknown calendar "${policy.calendar}"`);
    }
    return calendar;
  };
  const at = now.getTime();
  const timelines = replayTicket(events, policies, at);
  return {
    firstResponse: evaluateClock('firstResponse', timelines.firstResponse, calendarOf, at),
    resolution: evaluateClock('resolution', timelines.resolution, calendarOf, at),
  };
}
