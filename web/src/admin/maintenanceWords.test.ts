import { describe, expect, it } from 'vitest';
import { i18nOf } from '../i18n';
import { describeWindow } from './maintenanceWords';

const friday = {
  startsAt: null,
  endsAt: null,
  weekly: null,
  recurrence: {
    rule: 'FREQ=WEEKLY;BYDAY=FR',
    from: '2026-12-04',
    until: null,
    start: '22:00',
    end: '02:00',
  },
};
const now = Date.parse('2026-12-07T02:00:00Z');
// Persian text isolates filled-in values (U+2067/U+2068 … U+2069): compare without them.
const plain = (s: string | null) => s?.replace(/[\u2067\u2068\u2069]/g, '') ?? null;

describe('a maintenance window in words', () => {
  it('says a weekly rule with its hours and the zone, in each language and calendar', () => {
    const en = describeWindow(friday, 'Asia/Tehran', i18nOf('en'), now);
    expect(en).toEqual({
      when: 'Every Friday 22:00–02:00, Iran Standard Time',
      days: 'from Dec 4, 2026',
      past: false,
    });
    const fr = describeWindow(friday, 'Asia/Tehran', i18nOf('fr'), now);
    expect(fr.when).toBe('Chaque vendredi 22:00–02:00, heure normale d’Iran');
    expect(fr.days).toBe('à partir du 4 déc. 2026');
    const fa = describeWindow(friday, 'Asia/Tehran', i18nOf('fa'), now);
    expect(plain(fa.when)).toBe('هر جمعه ۲۲:۰۰–۰۲:۰۰، وقت عادی ایران');
    // 4 December 2026 is 13 Azar 1405 in the Jalali calendar.
    expect(plain(fa.days)).toBe('از ۱۳ آذر ۱۴۰۵');
  });

  it('says intervals, several days and days of the month', () => {
    const say = (rule: string) =>
      describeWindow(
        { ...friday, recurrence: { ...friday.recurrence, rule } },
        'UTC',
        i18nOf('en'),
        now,
      ).when;
    expect(say('FREQ=DAILY')).toBe('Every day 22:00–02:00, Coordinated Universal Time');
    expect(say('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,MO')).toMatch(
      /^Every 2 weeks on Monday and Thursday 22:00–02:00/,
    );
    expect(say('FREQ=MONTHLY;BYMONTHDAY=15,1')).toMatch(/^Every month on day 1 and 15 22:00/);
  });

  it('is past once its last occurrence has closed, on the zone’s clock', () => {
    const last = (until: string) =>
      describeWindow(
        { ...friday, recurrence: { ...friday.recurrence, until } },
        'Asia/Tehran',
        i18nOf('en'),
        // Saturday 5 December 2026, 01:59 in Tehran: the Friday 4 occurrence is still open.
        Date.parse('2026-12-04T22:29:00Z'),
      );
    expect(last('2026-12-04').past).toBe(false);
    expect(last('2026-12-04').days).toBe('from Dec 4, 2026 to Dec 4, 2026');
    const oneOff = describeWindow(
      {
        ...friday,
        recurrence: null,
        startsAt: '2020-03-01T09:00:00Z',
        endsAt: '2020-03-01T11:00:00Z',
      },
      'Europe/Paris',
      i18nOf('en'),
      now,
    );
    expect(oneOff).toEqual({
      when: 'Mar 1, 2020, 10:00 AM – Mar 1, 2020, 12:00 PM, Central European Time',
      days: null,
      past: true,
    });
  });
});
