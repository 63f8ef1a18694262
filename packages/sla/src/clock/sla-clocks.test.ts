import { describe, expect, it } from 'vitest';
import { businessMsBetween } from '../calendar/business-time.js';
import { formatJalali } from '../jalali/jalali-format.js';
import { policyResolver } from '../policy/sla-policy.js';
import { algiersTicket, calendars, resolver, tehranTicket } from '../testing/sla-fixtures.js';
import { HOUR, MINUTE, wallClock } from '../testing/wall-clock.js';
import { computeSlaClocks } from './compute-sla-clocks.js';
import type { SlaClock } from './sla-clock.js';
import type { TicketEvent } from './ticket-events.js';

const t = wallClock('Asia/Tehran');
const a = wallClock('Africa/Algiers');

/** The instants of a clock as wall-clock text, so expectations read like the arithmetic. */
function shown(clock: SlaClock | null, show = t.show) {
  if (!clock) throw new Error('expected a clock');
  return {
    status: clock.status,
    elapsed: clock.elapsedMs / MINUTE,
    remaining: clock.remainingMs / MINUTE,
    deadline: show(clock.deadline),
    warningAt: show(clock.warningAt),
    warned: clock.warned,
    escalations: clock.escalations.map((e) => `${e.name} ${show(e.at)}${e.fired ? ' fired' : ''}`),
  };
}

describe('an urgent ticket opened Thursday 11:30 in Tehran (4 h resolution, 30 min reply)', () => {
  const events: TicketEvent[] = [
    { type: 'created', at: t.at('2026-04-09 11:30'), ...tehranTicket, priority: 'urgent' },
  ];
  const clocksAt = (now: string) => computeSlaClocks(events, resolver, calendars, t.at(now));

  it('has its deadline on Saturday 11:30, across the Thursday afternoon and Friday', () => {
    const { resolution, firstResponse } = clocksAt('2026-04-09 11:45');
    expect(shown(resolution)).toEqual({
      status: 'running',
      elapsed: 15, // Thu 11:30–11:45
      remaining: 225, // 240 − 15
      // 4 h = Thu 11:30–12:00 (0.5 h) + Sat 08:00–11:30 (3.5 h)
      deadline: 'Sat 2026-04-11 11:30',
      // 80 % of 4 h = 3 h 12 min = 0.5 h Thu + 2 h 42 min from Sat 08:00
      warningAt: 'Sat 2026-04-11 10:42',
      warned: false,
      escalations: [
        'notify Sat 2026-04-11 11:00', // 4 h − 30 min = 3 h 30 min: Sat 08:00 + 3 h
        'reassign Sat 2026-04-11 11:30', // at the deadline
        // 4 h + 60 min = 5 h: Sat 08:00–12:00 (4 h, total 4.5 h) + 13:00–13:30
        'raisePriority Sat 2026-04-11 13:30',
      ],
    });
    expect(shown(firstResponse)).toEqual({
      status: 'running',
      elapsed: 15,
      remaining: 15,
      deadline: 'Thu 2026-04-09 12:00', // 11:30 + 30 min, just as Thursday closes
      warningAt: 'Thu 2026-04-09 11:54', // 80 % of 30 min = 24 min
      warned: false,
      escalations: ['remind Thu 2026-04-09 11:50'], // 30 − 10 = 20 min
    });
  });

  it('fires the −30 min escalation at Saturday 11:00 exactly, not a millisecond before', () => {
    const before = computeSlaClocks(
      events,
      resolver,
      calendars,
      new Date(t.at('2026-04-11 11:00').getTime() - 1),
    );
    expect(before.resolution?.escalations[0]).toMatchObject({ name: 'notify', fired: false });
    const { resolution } = clocksAt('2026-04-11 11:00');
    expect(resolution?.escalations.map((e) => [e.name, e.fired])).toEqual([
      ['notify', true],
      ['reassign', false],
      ['raisePriority', false],
    ]);
    expect(resolution?.warned).toBe(true); // since Sat 10:42
    expect(resolution?.remainingMs).toBe(30 * MINUTE); // 0.5 h Thu + 3 h Sat elapsed
  });

  it('is breached on Saturday afternoon with nobody having answered', () => {
    const { resolution, firstResponse } = clocksAt('2026-04-11 14:00');
    // Elapsed: Thu 0.5 h + Sat 08:00–12:00 4 h + 13:00–14:00 1 h = 5.5 h = 330 min.
    expect(shown(resolution)).toMatchObject({
      status: 'breached',
      elapsed: 330,
      remaining: -90,
      deadline: 'Sat 2026-04-11 11:30',
      escalations: [
        'notify Sat 2026-04-11 11:00 fired',
        'reassign Sat 2026-04-11 11:30 fired',
        'raisePriority Sat 2026-04-11 13:30 fired',
      ],
    });
    expect(shown(firstResponse)).toMatchObject({
      status: 'breached',
      elapsed: 330,
      remaining: -300,
    });
  });
});

describe('a pause on Wednesday while waiting on the customer (standard: 8 h resolution)', () => {
  const created: TicketEvent = {
    type: 'created',
    at: t.at('2026-04-08 09:00'),
    ...tehranTicket,
    priority: 'normal',
  };
  const reply: TicketEvent = {
    type: 'replied',
    at: t.at('2026-04-08 09:20'),
    by: 'agent',
    public: true,
  };
  const events: TicketEvent[] = [
    created,
    reply,
    { type: 'stateChanged', at: t.at('2026-04-08 10:00'), state: 'waiting' },
    { type: 'replied', at: t.at('2026-04-08 12:30'), by: 'customer', public: true },
    { type: 'stateChanged', at: t.at('2026-04-08 12:30'), state: 'open' },
  ];

  it('moves the deadline by exactly the paused business time', () => {
    const now = t.at('2026-04-09 10:00');
    const withPause = computeSlaClocks(events, resolver, calendars, now).resolution!;
    const withoutPause = computeSlaClocks([created, reply], resolver, calendars, now).resolution!;
    // Without the pause: Wed 09:00–12:00 3 h + 13:00–17:00 4 h = 7 h, Thu 08:00 + 1 h = 09:00.
    expect(t.show(withoutPause.deadline)).toBe('Thu 2026-04-09 09:00');
    // Paused Wed 10:00–12:30: 2.5 h on the wall, of which 10:00–12:00 = 2 h working time.
    expect(withPause.pausedMs).toBe(2 * HOUR);
    expect(withPause.pausedWallMs).toBe(2.5 * HOUR);
    // So the deadline moves 2 working hours: Thu 09:00 → Thu 11:00.
    expect(t.show(withPause.deadline)).toBe('Thu 2026-04-09 11:00');
    expect(
      businessMsBetween(calendars['tehran-office'], withoutPause.deadline!, withPause.deadline!),
    ).toBe(withPause.pausedMs);
    // Elapsed at Thu 10:00: Wed 09–10 1 h + 13–17 4 h + Thu 08–10 2 h = 7 h; 1 h left.
    expect(shown(withPause)).toMatchObject({ status: 'running', elapsed: 420, remaining: 60 });
  });

  it('shows no deadline while paused, and keeps the first response met', () => {
    const { resolution, firstResponse } = computeSlaClocks(
      events,
      resolver,
      calendars,
      t.at('2026-04-08 11:00'),
    );
    expect(shown(resolution)).toEqual({
      status: 'paused',
      elapsed: 60, // Wed 09:00–10:00
      remaining: 420,
      deadline: null,
      warningAt: null,
      warned: false,
      escalations: ['notify null', 'reassign null', 'raisePriority null'],
    });
    expect(resolution?.pausedMs).toBe(HOUR); // Wed 10:00–11:00 so far
    // First public reply by an agent at 09:20: 20 min of a 1 h target.
    expect(shown(firstResponse)).toMatchObject({
      status: 'met',
      elapsed: 20,
      deadline: 'Wed 2026-04-08 10:00', // as it stood when the reply stopped the clock
      warningAt: null, // 48 min was never reached
      escalations: ['remind null'],
    });
    expect(t.show(firstResponse!.stoppedAt)).toBe('Wed 2026-04-08 09:20');
  });
});

describe('a ticket opened the Wednesday before Nowruz', () => {
  it('skips the weekend and the four days of Nowruz', () => {
    const events: TicketEvent[] = [
      { type: 'created', at: t.at('2026-03-18 15:00'), ...tehranTicket, priority: 'normal' },
    ];
    const { resolution, firstResponse } = computeSlaClocks(
      events,
      resolver,
      calendars,
      t.at('2026-03-19 09:00'),
    );
    // 8 h: Wed 18 15:00–17:00 2 h + Thu 19 08:00–12:00 4 h; Fri 20 weekend; Sat 21–Tue 24
    // Nowruz; Wed 25 08:00 + 2 h = 10:00.
    expect(t.show(resolution!.deadline)).toBe('Wed 2026-03-25 10:00');
    expect(formatJalali(resolution!.deadline!, 'Asia/Tehran', { time: true })).toBe(
      '1405/01/05 10:00',
    );
    // Warning at 80 % = 6 h 24 min: 6 h by Thu 12:00, then Wed 25 08:00 + 24 min.
    expect(t.show(resolution!.warningAt)).toBe('Wed 2026-03-25 08:24');
    // First response 1 h: Wed 15:00–16:00; nobody answered: breached by Thursday 09:00.
    expect(shown(firstResponse)).toMatchObject({
      status: 'breached',
      deadline: 'Wed 2026-03-18 16:00',
      elapsed: 180, // Wed 15–17 + Thu 08–09
    });
  });
});

describe('a ticket in Algiers opened Thursday 14:00 (Friday–Saturday weekend)', () => {
  const events: TicketEvent[] = [
    { type: 'created', at: a.at('2026-04-09 14:00'), ...algiersTicket, priority: 'normal' },
    { type: 'replied', at: a.at('2026-04-09 14:20'), by: 'agent', public: true },
  ];

  it('counts Thursday afternoon and Sunday morning only', () => {
    const { resolution, firstResponse } = computeSlaClocks(
      events,
      resolver,
      calendars,
      a.at('2026-04-12 09:00'),
    );
    expect(resolution?.policyId).toBe('algiers');
    expect(shown(resolution, a.show)).toEqual({
      status: 'running',
      elapsed: 210, // Thu 14:00–16:30 2.5 h + Sun 08:00–09:00 1 h
      remaining: 30,
      deadline: 'Sun 2026-04-12 09:30', // 4 h − 2.5 h on Thursday = Sun 08:00 + 1.5 h
      warningAt: 'Sun 2026-04-12 08:42', // 3 h 12 min − 2.5 h = 42 min into Sunday
      warned: true,
      escalations: [
        'notify Sun 2026-04-12 09:00 fired', // 3.5 h: fires at now exactly
        'reassign Sun 2026-04-12 09:30',
        'raisePriority Sun 2026-04-12 10:30',
      ],
    });
    expect(shown(firstResponse, a.show)).toMatchObject({
      status: 'met',
      elapsed: 20,
      deadline: 'Thu 2026-04-09 14:30',
    });
  });
});

describe('first response', () => {
  it('stops at the first public reply by a person, not at notes, customers or the system', () => {
    const events: TicketEvent[] = [
      { type: 'created', at: t.at('2026-04-11 08:00'), ...tehranTicket, priority: 'normal' },
      { type: 'replied', at: t.at('2026-04-11 08:00'), by: 'system', public: true },
      { type: 'replied', at: t.at('2026-04-11 08:10'), by: 'customer', public: true },
      { type: 'replied', at: t.at('2026-04-11 08:20'), by: 'agent', public: false },
      { type: 'replied', at: t.at('2026-04-11 08:40'), by: 'agent', public: true },
      { type: 'replied', at: t.at('2026-04-11 08:50'), by: 'agent', public: true },
    ];
    const { firstResponse } = computeSlaClocks(
      events,
      resolver,
      calendars,
      t.at('2026-04-11 10:00'),
    );
    expect(shown(firstResponse)).toMatchObject({ status: 'met', elapsed: 40, remaining: 20 });
    expect(t.show(firstResponse!.stoppedAt)).toBe('Sat 2026-04-11 08:40');
  });
});

describe('resolving and reopening', () => {
  const events: TicketEvent[] = [
    { type: 'created', at: t.at('2026-04-11 08:00'), ...tehranTicket, priority: 'normal' },
    { type: 'stateChanged', at: t.at('2026-04-11 10:00'), state: 'resolved' },
    { type: 'stateChanged', at: t.at('2026-04-12 09:00'), state: 'open' },
  ];

  it('is met once resolved in time', () => {
    const { resolution, firstResponse } = computeSlaClocks(
      events,
      resolver,
      calendars,
      t.at('2026-04-11 10:30'),
    );
    // 2 h of 8: the deadline as it stood was Sat 08:00 + 8 h = 17:00 (with lunch: 08–12, 13–17).
    expect(shown(resolution)).toMatchObject({
      status: 'met',
      elapsed: 120,
      deadline: 'Sat 2026-04-11 17:00',
    });
    // Resolved without a reply: the first response is settled by the resolution, 2 h > 1 h.
    expect(shown(firstResponse)).toMatchObject({
      status: 'breached',
      elapsed: 120,
      deadline: 'Sat 2026-04-11 09:00',
    });
  });

  it('resumes the resolution clock on reopening, not counting the time it was resolved', () => {
    const { resolution, firstResponse } = computeSlaClocks(
      events,
      resolver,
      calendars,
      t.at('2026-04-12 10:00'),
    );
    // Elapsed: Sat 08–10 2 h + Sun 09–10 1 h = 3 h. Left: 5 h = Sun 10–12 + 13–16.
    expect(shown(resolution)).toMatchObject({
      status: 'running',
      elapsed: 180,
      deadline: 'Sun 2026-04-12 16:00',
    });
    expect(resolution?.pausedMs).toBe(0); // resolved time is neither elapsed nor paused
    expect(firstResponse?.stoppedAt).toEqual(t.at('2026-04-11 10:00')); // not reopened
  });

  it('stays paused when reopened into waiting', () => {
    const reopenedWaiting: TicketEvent[] = [
      ...events.slice(0, 2),
      { type: 'stateChanged', at: t.at('2026-04-12 09:00'), state: 'waiting' },
    ];
    const { resolution } = computeSlaClocks(
      reopenedWaiting,
      resolver,
      calendars,
      t.at('2026-04-12 10:00'),
    );
    expect(shown(resolution)).toMatchObject({ status: 'paused', elapsed: 120, deadline: null });
    expect(resolution?.pausedMs).toBe(HOUR);
  });
});

describe('the event log', () => {
  it('is read in time order, ignoring what happens after now', () => {
    const events: TicketEvent[] = [
      { type: 'stateChanged', at: t.at('2026-04-11 11:00'), state: 'open' },
      { type: 'stateChanged', at: t.at('2026-04-11 09:00'), state: 'on_hold' },
      { type: 'created', at: t.at('2026-04-11 08:00'), ...tehranTicket, priority: 'normal' },
      { type: 'stateChanged', at: t.at('2026-04-11 12:00'), state: 'resolved' }, // future
    ];
    const { resolution } = computeSlaClocks(events, resolver, calendars, t.at('2026-04-11 11:30'));
    // Running 08–09 and 11–11:30, on hold 09–11.
    expect(shown(resolution)).toMatchObject({ status: 'running', elapsed: 90 });
    expect(resolution?.pausedMs).toBe(2 * HOUR);
  });

  it('starts paused when created waiting at the same instant', () => {
    const events: TicketEvent[] = [
      { type: 'created', at: t.at('2026-04-11 08:00'), ...tehranTicket, priority: 'normal' },
      { type: 'stateChanged', at: t.at('2026-04-11 08:00'), state: 'waiting' },
    ];
    const { resolution } = computeSlaClocks(events, resolver, calendars, t.at('2026-04-11 10:00'));
    expect(shown(resolution)).toMatchObject({ status: 'paused', elapsed: 0, deadline: null });
  });

  it('must start with a created event', () => {
    const events: TicketEvent[] = [
      { type: 'stateChanged', at: t.at('2026-04-11 08:00'), state: 'open' },
    ];
    expect(() => computeSlaClocks(events, resolver, calendars, t.at('2026-04-11 10:00'))).toThrow(
      'a ticket event log starts with its "created" event',
    );
  });

  it('gives no clocks without a policy, and no clock for a target the policy lacks', () => {
    const events: TicketEvent[] = [
      { type: 'created', at: t.at('2026-04-11 08:00'), ...tehranTicket, priority: 'normal' },
    ];
    const onlyAlgiers = policyResolver([resolver.byId('algiers')!]);
    expect(computeSlaClocks(events, onlyAlgiers, calendars, t.at('2026-04-11 09:00'))).toEqual({
      firstResponse: null,
      resolution: null,
    });
    const noc = [
      ...events,
      { type: 'policyChanged', at: t.at('2026-04-11 08:00'), policyId: 'critical-noc' } as const,
    ];
    const clocks = computeSlaClocks(noc, resolver, calendars, t.at('2026-04-11 09:00'));
    expect(clocks.firstResponse).toBeNull();
    expect(clocks.resolution?.policyId).toBe('critical-noc');
  });

  it('names a calendar a policy refers to but nobody supplied', () => {
    const events: TicketEvent[] = [
      { type: 'created', at: t.at('2026-04-11 08:00'), ...tehranTicket, priority: 'normal' },
    ];
    expect(() => computeSlaClocks(events, resolver, {}, t.at('2026-04-11 09:00'))).toThrow(
      'SLA policy "standard" names unknown calendar "tehran-office"',
    );
  });
});
