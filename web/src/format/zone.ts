// Times on a branch's clock, whatever the browser's zone: a form's "22:00" is the branch's
// 22:00, and a window is shown in the branch's zone with the zone's name in the reader's language.

/** The wall clock `zone` shows at `at`, as milliseconds of a UTC date with those fields. */
function wallOf(at: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((x) => x.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
}

/**
 * The instant at which `zone`'s clock shows `local` ("2026-12-11T22:00", a datetime-local
 * input's value); NaN when it is not a time. A time a DST jump skips becomes the one after it.
 */
export function instantInZone(local: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return NaN;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  let at = wanted;
  for (let i = 0; i < 3; i++) at += wanted - wallOf(at, zone);
  return at;
}

/** The zone's calendar day at an instant, YYYY-MM-DD. */
export function dayInZone(at: number, zone: string): string {
  return new Date(wallOf(at, zone)).toISOString().slice(0, 10);
}

/**
 * The zone's name as the reader says it ("Central European Time", "heure normale d’Iran",
 * "وقت مرکز اروپا"): the generic name, which holds across DST, unless the language has only
 * an offset for it ("GMT+00:00" for UTC), then the long one ("Coordinated Universal Time").
 */
export function zoneName(zone: string, locale: string): string {
  const name = (style: 'longGeneric' | 'long') => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName')?.value;
    } catch {
      return undefined;
    }
  };
  const generic = name('longGeneric');
  if (generic && !/[\d\u06F0-\u06F9]/.test(generic)) return generic;
  return name('long') ?? zone;
}

/** A date and time on the zone's clock, in the reader's language and calendar. */
export function formatInZone(at: string | number, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(at));
}

/** A calendar day "2026-12-11" in the reader's language and calendar (Jalali in Persian). */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}
