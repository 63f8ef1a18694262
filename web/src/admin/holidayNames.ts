import type { CalendarDefaults } from '../api/adminApi';

/** `kept` with each holiday named as `named` names the same day (the nth of that day). */
export function renamed(
  kept: CalendarDefaults['holidays'],
  named: CalendarDefaults['holidays'],
): CalendarDefaults['holidays'] {
  const byDay = new Map<string, string[]>();
  for (const h of named) byDay.set(h.date, [...(byDay.get(h.date) ?? []), h.name]);
  const seen = new Map<string, number>();
  return kept.map((h) => {
    const n = seen.get(h.date) ?? 0;
    seen.set(h.date, n + 1);
    return { ...h, name: byDay.get(h.date)?.[n] ?? h.name };
  });
}
