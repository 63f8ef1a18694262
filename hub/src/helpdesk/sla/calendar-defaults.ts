import type HolidaysClass from 'date-holidays';
import type { Weekday } from '@branchwatch/sla';

/**
 * What a new SLA calendar starts from (docs/sla.md "Calendar defaults"): the tenant's zone (the
 * one most of its branches keep), the country of that zone, its working week and office hours,
 * and its public holidays from the `date-holidays` dataset (docs/decisions.md, "Libraries beyond
 * the chosen list"). A person sees all of it in the form and changes what does not fit.
 */
export interface CalendarDefaults {
  zone: string;
  /** ISO 3166 country of the zone, or null when no country keeps it (UTC). */
  country: string | null;
  week: Partial<Record<Weekday, string[]>>;
  /** Public holidays from today to the end of next year, on the country's calendar days. */
  holidays: { date: string; name: string }[];
}

// Weekends that are not Saturday and Sunday. Iran works Saturday to Wednesday (Thursday is
// a half day that many offices close); these work Sunday to Thursday.
const SATURDAY_TO_WEDNESDAY = new Set(['IR']);
const SUNDAY_TO_THURSDAY = new Set([
  'DZ',
  'BH',
  'EG',
  'IL',
  'IQ',
  'JO',
  'KW',
  'LY',
  'OM',
  'QA',
  'SA',
  'SD',
  'SY',
  'YE',
]);

export function workingWeekOf(country: string | null): Partial<Record<Weekday, string[]>> {
  const [days, hours]: [Weekday[], string] =
    country && SATURDAY_TO_WEDNESDAY.has(country)
      ? [['sat', 'sun', 'mon', 'tue', 'wed'], '08:00-16:00']
      : country && SUNDAY_TO_THURSDAY.has(country)
        ? [['sun', 'mon', 'tue', 'wed', 'thu'], '08:00-16:00']
        : [['mon', 'tue', 'wed', 'thu', 'fri'], '09:00-17:00'];
  return Object.fromEntries(days.map((d) => [d, [hours]]));
}

let loaded: Promise<{ Holidays: typeof HolidaysClass; countryOf: Map<string, string> }>;

// The dataset is large (every country's rules): it loads at the first calendar made, never in
// an idle hub (test/idle-hub-modules.test.ts).
function dataset() {
  loaded ??= import('date-holidays').then(({ default: Holidays }) => {
    const countryOf = new Map<string, string>();
    for (const country of Object.keys(new Holidays().getCountries())) {
      for (const zone of new Holidays(country).getTimezones() ?? []) {
        if (!countryOf.has(zone)) countryOf.set(zone, country);
      }
    }
    return { Holidays, countryOf };
  });
  return loaded;
}

/** `language` names the holidays where the dataset has that language, else in its own. */
export async function calendarDefaults(
  zone: string,
  language: string,
  today: string,
): Promise<CalendarDefaults> {
  const { Holidays, countryOf } = await dataset();
  const country = countryOf.get(zone) ?? null;
  const holidays: CalendarDefaults['holidays'] = [];
  if (country) {
    const hd = new Holidays(country, { timezone: zone });
    const year = Number(today.slice(0, 4));
    for (const y of [year, year + 1]) {
      for (const h of hd.getHolidays(y, language) ?? []) {
        const date = h.date.slice(0, 10);
        if (h.type !== 'public' || date < today) continue;
        // Some of the dataset's Persian and Arabic names are typed in presentation forms
        // (U+FB50–U+FEFF, glyphs meant for old displays): NFKC gives the letters back.
        holidays.push({ date, name: h.name.normalize('NFKC') });
      }
    }
  }
  return { zone, country, week: workingWeekOf(country), holidays };
}
