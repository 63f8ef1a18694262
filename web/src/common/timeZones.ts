// The time zones a person picks from: every IANA zone this browser knows, never free text.

let zones: string[] | null = null;

/** Every IANA zone name the browser knows, UTC included, in alphabetical order. */
export function timeZoneNames(): string[] {
  if (zones === null) {
    // `supportedValuesOf` lists canonical zones and leaves out "UTC" in some engines.
    const known = Intl.supportedValuesOf('timeZone');
    zones = [...new Set(['UTC', ...known])].sort();
  }
  return zones;
}

/** "+03:30": the zone's offset from UTC at `at` (it moves with daylight saving time). */
export function utcOffset(zone: string, at: Date = new Date()): string {
  const name = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  // "GMT+03:30", or "GMT" for UTC itself.
  const offset = name?.replace('GMT', '') ?? '';
  return offset === '' ? '+00:00' : offset;
}

/**
 * Choices for a zone picker: "Asia/Tehran (UTC+03:30)". A zone the hub holds that this browser
 * does not list (an older alias) is kept, so opening a form never changes it.
 */
export function timeZoneChoices(current?: string | null): { value: string; label: string }[] {
  const names = timeZoneNames();
  const all = current && !names.includes(current) ? [current, ...names] : names;
  const now = new Date();
  return all.map((zone) => ({ value: zone, label: `${zone} (UTC${safeOffset(zone, now)})` }));
}

function safeOffset(zone: string, at: Date): string {
  try {
    return utcOffset(zone, at);
  } catch {
    return '';
  }
}
