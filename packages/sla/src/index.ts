export {
  businessCalendar,
  type BusinessCalendar,
  type BusinessCalendarSpec,
} from './calendar/business-calendar.js';
export {
  addBusinessMs,
  businessMsBetween,
  isWorkingTime,
  nextWorkingInstant,
} from './calendar/business-time.js';
export { nowruzHolidays, type HolidaySpec } from './calendar/holidays.js';
export {
  addDays,
  isValidZone,
  isoDate,
  localDateAt,
  parseIsoDate,
  wallTimeToInstant,
  type LocalDate,
} from './calendar/wall-clock.js';
export {
  ALWAYS_OPEN,
  WEEKDAYS,
  WEEKENDS,
  algeriaWorkingWeek,
  iranWorkingWeek,
  mondayToFridayWeek,
  workingWeek,
  type Weekday,
  type WorkingWeek,
} from './calendar/working-week.js';
export {
  gregorianToJalali,
  jalaliToGregorian,
  parseJalaliDate,
  type JalaliDate,
} from './jalali/jalali-date.js';
export {
  JALALI_MONTHS,
  formatJalali,
  jalaliToIsoDate,
  toPersianDigits,
  type JalaliFormatOptions,
} from './jalali/jalali-format.js';
export {
  policyMatches,
  policyResolver,
  selectPolicy,
  validatePolicy,
  type ClockKind,
  type EscalationLevel,
  type PolicyConditions,
  type PolicyResolver,
  type SlaPolicy,
  type TicketFacts,
  type TicketPriority,
} from './policy/sla-policy.js';
export type { TicketEvent, TicketState } from './clock/ticket-events.js';
export type { ClockStatus, EscalationState, SlaClock } from './clock/sla-clock.js';
export {
  computeSlaClocks,
  type CalendarsByKey,
  type SlaClocks,
} from './clock/compute-sla-clocks.js';
export {
  availability,
  type Availability,
  type Outage,
  type Period,
} from './availability/availability.js';
