/**
 * When a delivery inside a user's quiet hours may go out: the end of the quiet window in the
 * user's time zone, or undefined when `now` is outside it. Windows may wrap midnight
 * (22:00-07:00). Deliveries are deferred, never dropped.
 */
export function quietUntil(
  now: Date,
  start: string | null,
  end: string | null,
  timeZone: string,
): Date | undefined {
  if (!start || !end || start === end) return undefined;
  const local = minutesOfDay(now, timeZone);
  const from = minutes(start);
  const to = minutes(end);
  const inside = from < to ? local >= from && local < to : local >= from || local < to;
  if (!inside) return undefined;
  const wait = (to - local + 1440) % 1440;
  const at = new Date(now.getTime() + wait * 60_000);
  at.setUTCSeconds(0, 0);
  return at;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function minutesOfDay(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}
