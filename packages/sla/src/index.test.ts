// The worked example of docs/sla.md, through the public API only.
import { describe, expect, it } from 'vitest';
import {
  businessCalendar,
  computeSlaClocks,
  formatJalali,
  iranWorkingWeek,
  nowruzHolidays,
  policyResolver,
  type TicketEvent,
} from './index.js';
import { HOUR, MINUTE, wallClock } from './testing/wall-clock.js';

const t = wallClock('Asia/Tehran');

describe('docs/sla.md worked example', () => {
  const calendars = {
    'tehran-office': businessCalendar({
      zone: 'Asia/Tehran',
      week: iranWorkingWeek(['08:00-12:00', '13:00-17:00'], ['08:00-12:00']),
      holidays: nowruzHolidays(1405),
    }),
  };
  const policies = policyResolver([
    {
      id: 'urgent',
      calendar: 'tehran-office',
      targets: { firstResponse: 30 * MINUTE, resolution: 4 * HOUR },
      warningShare: 0.8,
      escalations: [
        { name: 'notify', offsetMs: -30 * MINUTE, clocks: ['resolution'] },
        { name: 'reassign', offsetMs: 0, clocks: ['resolution'] },
        { name: 'raisePriority', offsetMs: 60 * MINUTE, clocks: ['resolution'] },
      ],
      conditions: { priority: ['urgent'] },
    },
  ]);
  const events: TicketEvent[] = [
    {
      type: 'created',
      at: t.at('2026-04-09 11:30'),
      tenant: 'acme',
      branch: 'thr-1',
      priority: 'urgent',
      category: null,
    },
    { type: 'replied', at: t.at('2026-04-09 11:45'), by: 'agent', public: true },
    { type: 'stateChanged', at: t.at('2026-04-11 09:00'), state: 'waiting' },
    { type: 'stateChanged', at: t.at('2026-04-11 10:00'), state: 'in_progress' },
  ];

  it('gives the clocks the document shows', () => {
    const { firstResponse, resolution } = computeSlaClocks(
      events,
      policies,
      calendars,
      t.at('2026-04-11 12:10'),
    );
    expect(firstResponse).toMatchObject({ status: 'met', elapsedMs: 15 * MINUTE });
    expect(resolution).toMatchObject({
      status: 'running',
      elapsedMs: 3.5 * HOUR, // Thu 11:30–12:00 + Sat 08:00–09:00 + 10:00–12:00
      remainingMs: 30 * MINUTE,
      pausedMs: HOUR, // Sat 09:00–10:00
      warned: true,
    });
    expect(t.show(resolution!.deadline)).toBe('Sat 2026-04-11 13:30');
    expect(t.show(resolution!.warningAt)).toBe('Sat 2026-04-11 11:42');
    expect(resolution!.escalations.map((e) => [e.name, t.show(e.at), e.fired])).toEqual([
      ['notify', 'Sat 2026-04-11 12:00', true],
      ['reassign', 'Sat 2026-04-11 13:30', false],
      ['raisePriority', 'Sat 2026-04-11 14:30', false],
    ]);
    expect(
      formatJalali(resolution!.deadline!, 'Asia/Tehran', { digits: 'persian', time: true }),
    ).toBe('۱۴۰۵/۰۱/۲۲ ۱۳:۳۰');
  });
});
