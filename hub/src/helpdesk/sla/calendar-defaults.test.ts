import { describe, expect, it } from 'vitest';
import { calendarDefaults } from './calendar-defaults.js';

describe('a new SLA calendar’s defaults', () => {
  it('in Tehran: Saturday to Wednesday, and Iran’s holidays in Persian letters', async () => {
    const d = await calendarDefaults('Asia/Tehran', 'fa', '2026-12-07');
    expect(d.country).toBe('IR');
    expect(Object.keys(d.week)).toEqual(['sat', 'sun', 'mon', 'tue', 'wed']);
    expect(d.week.sat).toEqual(['08:00-16:00']);
    // Nowruz, 1–4 Farvardin 1406, and never a holiday before today.
    expect(d.holidays.filter((h) => h.name === 'نوروز').map((h) => h.date)).toEqual([
      '2027-03-21',
      '2027-03-22',
      '2027-03-23',
      '2027-03-24',
    ]);
    expect(d.holidays.every((h) => h.date >= '2026-12-07' && h.date <= '2027-12-31')).toBe(true);
    // No presentation forms (U+FB50–U+FEFF): the names are letters a search or a font reads.
    expect(d.holidays.filter((h) => /[\uFB50-\uFEFF]/.test(h.name))).toEqual([]);
  });

  it('in Algiers: Sunday to Thursday; in Paris: Monday to Friday with French names', async () => {
    const dz = await calendarDefaults('Africa/Algiers', 'fr', '2027-01-01');
    expect(dz.country).toBe('DZ');
    expect(Object.keys(dz.week)).toEqual(['sun', 'mon', 'tue', 'wed', 'thu']);
    expect(dz.holidays.map((h) => h.date)).toContain('2027-07-05');
    const fr = await calendarDefaults('Europe/Paris', 'fr', '2027-01-01');
    expect(fr.country).toBe('FR');
    expect(fr.week).toEqual(
      Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-17:00']])),
    );
    expect(fr.holidays).toContainEqual({ date: '2027-07-14', name: 'Fête Nationale de la France' });
  });

  it('in UTC: no country, Monday to Friday, no holidays to guess', async () => {
    expect(await calendarDefaults('UTC', 'en', '2027-01-01')).toEqual({
      zone: 'UTC',
      country: null,
      week: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-17:00']]),
      ),
      holidays: [],
    });
  });
});
