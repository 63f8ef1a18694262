export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours per weekday, each as `HH:mm-HH:mm`; a day left out (or empty) is closed. */
export type WorkingWeek = Partial<Record<Weekday, readonly string[]>>;

/** Weekend conventions of the countries Branchwatch serves. */
export const WEEKENDS = {
  /** Iran: Friday. Thursday is a working day, often only in the morning. */
  iran: ['fri'],
  /** Algeria: Friday and Saturday (since 2009). */
  algeria: ['fri', 'sat'],
  /** Most of Europe and the Americas. */
  saturdaySunday: ['sat', 'sun'],
} as const satisfies Record<string, readonly Weekday[]>;

/**
 * A week with the same `hours` every day except the `weekend`; `days` overrides single days,
 * e.g. `{ thu: ['08:00-12:00'] }` for Iran's half-day Thursday.
 */
export function workingWeek(
  weekend: readonly Weekday[],
  hours: readonly string[],
  days: WorkingWeek = {},
): WorkingWeek {
  const week: WorkingWeek = {};
  for (const day of WEEKDAYS) {
    week[day] = days[day] ?? (weekend.includes(day) ? [] : hours);
  }
  return week;
}

/** Iran: Saturday–Wednesday `hours`, Thursday `thursday` (morning by default), Friday closed. */
export function iranWorkingWeek(
  hours: readonly string[] = ['08:00-12:00', '13:00-17:00'],
  thursday: readonly string[] = ['08:00-12:00'],
): WorkingWeek {
  return workingWeek(WEEKENDS.iran, hours, { thu: thursday });
}

/** Algeria: Sunday–Thursday `hours`, Friday and Saturday closed. */
export function algeriaWorkingWeek(
  hours: readonly string[] = ['08:00-12:00', '13:00-16:30'],
): WorkingWeek {
  return workingWeek(WEEKENDS.algeria, hours);
}

/** Monday–Friday `hours`, Saturday and Sunday closed. */
export function mondayToFridayWeek(
  hours: readonly string[] = ['09:00-12:30', '13:30-18:00'],
): WorkingWeek {
  return workingWeek(WEEKENDS.saturdaySunday, hours);
}

/** Every day, all day: a NOC that never closes. */
export const ALWAYS_OPEN: WorkingWeek = workingWeek([], ['00:00-24:00']);
