import { describe, expect, it } from 'vitest';
import { calendars, resolver, tehranTicket } from '../testing/sla-fixtures.js';
import { HOUR, wallClock } from '../testing/wall-clock.js';
import { computeSlaClocks } from './compute-sla-clocks.js';
import type { TicketEvent } from './ticket-events.js';

const t = wallClock('Asia/Tehran');

// Saturday 2026-04-11 in the Tehran office (08:00–12:00, 13:00–17:00). The ticket starts
// 'normal' under 'standard' (8 h), waits on the customer 09:00–10:00, and something changes
// its policy at 11:00. Before the change: elapsed 08–09 + 10–11 = 2 h, paused 1 h.
const history: TicketEvent[] = [
  { type: 'created', at: t.at('2026-04-11 08:00'), ...tehranTicket, priority: 'normal' },
  { type: 'stateChanged', at: t.at('2026-04-11 09:00'), state: 'waiting' },
  { type: 'stateChanged', at: t.at('2026-04-11 10:00'), state: 'open' },
];
const clocks = (events: TicketEvent[], now: string) =>
  computeSlaClocks(events, resolver, calendars, t.at(now));

describe('a policy change mid-way', () => {
  it('keeps elapsed and paused time when raising the priority selects a tighter policy', () => {
    const events: TicketEvent[] = [
      ...history,
      { type: 'priorityChanged', at: t.at('2026-04-11 11:00'), priority: 'urgent' },
    ];
    const { resolution } = clocks(events, '2026-04-11 11:30');
    expect(resolution?.policyId).toBe('urgent');
    expect(resolution?.targetMs).toBe(4 * HOUR);
    // Elapsed 2 h before the change + 11:00–11:30 = 2.5 h; the hour on hold stays paused.
    expect(resolution?.elapsedMs).toBe(2.5 * HOUR);
    expect(resolution?.pausedMs).toBe(HOUR);
    // 1.5 h left: 11:30–12:00 + 13:00–14:00. (Had the pause been lost, as in GLPI #6902, the
    // hour on hold would count and the deadline would be 13:00.)
    expect(t.show(resolution!.deadline)).toBe('Sat 2026-04-11 14:00');
    // Warning at 80 % of 4 h = 3 h 12 min: 3 h by 12:00, then 13:00 + 12 min.
    expect(t.show(resolution!.warningAt)).toBe('Sat 2026-04-11 13:12');
    expect(resolution?.escalations.map((e) => `${e.name} ${t.show(e.at)}`)).toEqual([
      'notify Sat 2026-04-11 13:30', // 3.5 h
      'reassign Sat 2026-04-11 14:00', // 4 h
      'raisePriority Sat 2026-04-11 15:00', // 5 h
    ]);
    // Under 'standard' it would have been 5.5 h more: 11:30–12:00, 13:00–17:00, Sun 08:00–09:00.
    const { resolution: before } = clocks(history, '2026-04-11 11:30');
    expect(t.show(before!.deadline)).toBe('Sun 2026-04-12 09:00');
  });

  it('counts each stretch on the calendar of the policy it ran under', () => {
    const events: TicketEvent[] = [
      ...history,
      { type: 'policyChanged', at: t.at('2026-04-11 11:00'), policyId: 'critical-noc' },
    ];
    const { resolution } = clocks(events, '2026-04-11 11:30');
    // critical-noc: 6 h on a calendar open around the clock. Elapsed: 2 h on the office
    // calendar + 0.5 h on the NOC one; 3.5 h left, straight through lunch: 11:30 + 3.5 h = 15:00.
    expect(resolution?.elapsedMs).toBe(2.5 * HOUR);
    expect(resolution?.pausedMs).toBe(HOUR);
    expect(t.show(resolution!.deadline)).toBe('Sat 2026-04-11 15:00');
  });

  it('keeps a policy set by hand when the priority changes, until it is cleared', () => {
    const pinned: TicketEvent[] = [
      ...history,
      { type: 'policyChanged', at: t.at('2026-04-11 11:00'), policyId: 'critical-noc' },
      { type: 'priorityChanged', at: t.at('2026-04-11 11:10'), priority: 'urgent' },
    ];
    expect(clocks(pinned, '2026-04-11 11:30').resolution?.policyId).toBe('critical-noc');
    const cleared: TicketEvent[] = [
      ...pinned,
      { type: 'policyChanged', at: t.at('2026-04-11 11:20'), policyId: null },
    ];
    const { resolution } = clocks(cleared, '2026-04-11 11:30');
    expect(resolution?.policyId).toBe('urgent');
    // Still 2.5 h elapsed and 1 h paused through three policy changes.
    expect(resolution?.elapsedMs).toBe(2.5 * HOUR);
    expect(resolution?.pausedMs).toBe(HOUR);
  });

  it('keeps paused time when the policy changes during the pause', () => {
    const events: TicketEvent[] = [
      ...history.slice(0, 2), // waiting since 09:00
      { type: 'priorityChanged', at: t.at('2026-04-11 09:30'), priority: 'urgent' },
      { type: 'stateChanged', at: t.at('2026-04-11 10:00'), state: 'open' },
    ];
    const { resolution } = clocks(events, '2026-04-11 11:00');
    expect(resolution?.policyId).toBe('urgent');
    expect(resolution?.pausedMs).toBe(HOUR); // 09:00–09:30 under standard + 09:30–10:00 urgent
    expect(resolution?.elapsedMs).toBe(2 * HOUR);
    // 4 h − 2 h = 2 h from 11:00: 11:00–12:00 + 13:00–14:00.
    expect(t.show(resolution!.deadline)).toBe('Sat 2026-04-11 14:00');
  });

  it('breaches at the change when the new target is already used up, not before it', () => {
    const events: TicketEvent[] = [
      ...history,
      { type: 'policyChanged', at: t.at('2026-04-11 11:00'), policyId: 'express' },
    ];
    const { resolution } = clocks(events, '2026-04-11 11:30');
    // express: 1 h. Elapsed reached 1 h at 09:00, under 'standard'; the ticket is late from
    // the moment it got 'express', 11:00.
    expect(resolution?.status).toBe('breached');
    expect(t.show(resolution!.deadline)).toBe('Sat 2026-04-11 11:00');
    expect(resolution?.remainingMs).toBe(-1.5 * HOUR); // 1 h − 2.5 h
    expect(resolution?.escalations.map((e) => `${e.name} ${t.show(e.at)} ${e.fired}`)).toEqual([
      'notify Sat 2026-04-11 11:00 true', // 30 min was reached 08:30, under the old policy
      'reassign Sat 2026-04-11 11:00 true',
      'raisePriority Sat 2026-04-11 11:00 true', // 1 h + 60 min = 2 h: reached at 11:00 itself
    ]);
  });

  it('leaves a stopped clock alone when the policy changes after it stopped', () => {
    const events: TicketEvent[] = [
      ...history,
      { type: 'stateChanged', at: t.at('2026-04-11 11:00'), state: 'resolved' },
      { type: 'policyChanged', at: t.at('2026-04-11 11:10'), policyId: 'express' },
    ];
    const { resolution } = clocks(events, '2026-04-11 12:00');
    expect(resolution?.policyId).toBe('standard');
    expect(resolution?.status).toBe('met');
    expect(resolution?.elapsedMs).toBe(2 * HOUR);
    expect(resolution?.remainingMs).toBe(6 * HOUR);
    expect(resolution?.warningAt).toBeNull();
  });
});
