import { describe, expect, it } from 'vitest';
import { renamed } from './holidayNames';

describe('holiday names in another language', () => {
  it('renames the holidays kept, by day, and leaves out none the person removed', () => {
    const kept = [
      { date: '2027-03-21', name: 'نوروز' },
      { date: '2027-04-02', name: 'شهادت امام جعفر صادق' },
      { date: '2027-04-02', name: 'روز طبیعت' },
    ];
    const english = [
      { date: '2027-03-20', name: 'Nationalization of the Iranian oil industry' },
      { date: '2027-03-21', name: 'Nowruz' },
      { date: '2027-04-02', name: 'Martyrdom of Imam Jafar' },
      { date: '2027-04-02', name: 'Sizdah Bedar' },
    ];
    expect(renamed(kept, english)).toEqual([
      { date: '2027-03-21', name: 'Nowruz' },
      { date: '2027-04-02', name: 'Martyrdom of Imam Jafar' },
      { date: '2027-04-02', name: 'Sizdah Bedar' },
    ]);
    // A day the other language does not list keeps the name it had.
    expect(renamed([{ date: '2027-05-01', name: 'Fête' }], english)).toEqual([
      { date: '2027-05-01', name: 'Fête' },
    ]);
  });
});
