import { DateTime } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/**
 * Test fixtures read and write instants as a person in `zone` would: `at('2026-04-09 11:30')`
 * and `show(instant)` → `Thu 2026-04-09 11:30`, so expected values stay readable by hand.
 */
export function wallClock(zone: string): {
  at: (text: string) => Date;
  show: (instant: Date | null) => string | null;
} {
  return {
    at: (text) => {
      const local = DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm', { zone });
      if (!local.isValid) throw new Error(`bad fixture time "${text}"`);
      return local.toJSDate();
    },
    show: (instant) =>
      instant === null
        ? null
        : DateTime.fromJSDate(instant, { zone }).toFormat('ccc yyyy-MM-dd HH:mm', {
            locale: 'en',
          }),
  };
}
