import type { DeskTicketDetail, SlaClockView } from '../api/types';

// SLA clocks as a person watches them: the hub computes each clock when the ticket is read
// (docs/tickets.md "SLA"); between reads the page counts down every second from the deadline,
// so the figure moves without asking the hub again.

export type ClockPhase = 'running' | 'dueSoon' | 'paused' | 'met' | 'breached';

export interface Countdown {
  phase: ClockPhase;
  /** Wall-clock time left (negative: overdue), or null once met. */
  remainingMs: number | null;
}

/** Below this share of the target left, a running clock is "due soon" if the hub set no warning. */
const DUE_SOON_SHARE = 0.2;

/**
 * The clock at `now`. Running clocks count down from `deadline` (wall time: what a person
 * waits); paused ones keep the remaining time the hub gave; without a deadline the hub's
 * remaining time is counted down from when it was read (`fetchedAt`).
 */
export function countdown(clock: SlaClockView, fetchedAt: number, now: number): Countdown {
  if (clock.status === 'met') return { phase: 'met', remainingMs: null };
  if (clock.status === 'paused' || clock.paused) {
    return { phase: 'paused', remainingMs: clock.remainingMs };
  }
  const remainingMs =
    clock.deadline !== null
      ? Date.parse(clock.deadline) - now
      : clock.remainingMs - Math.max(0, now - fetchedAt);
  if (clock.status === 'breached' || remainingMs < 0) return { phase: 'breached', remainingMs };
  const warned = clock.warningAt !== null && Date.parse(clock.warningAt) <= now;
  const dueSoon = warned || remainingMs < clock.targetMs * DUE_SOON_SHARE;
  return { phase: dueSoon ? 'dueSoon' : 'running', remainingMs };
}

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** |ms| split into days, hours, minutes and whole seconds. */
export function durationParts(ms: number): DurationParts {
  const total = Math.floor(Math.abs(ms) / 1000);
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/** The two largest units, the way a countdown is read: "2 d 3 h", "1 h 5 min", "4 min 9 s". */
export function durationMessage(ms: number): {
  key: 'desk.duration.dh' | 'desk.duration.hm' | 'desk.duration.ms';
  vars: Record<string, number>;
} {
  const p = durationParts(ms);
  if (p.days > 0) return { key: 'desk.duration.dh', vars: { d: p.days, h: p.hours } };
  if (p.hours > 0) return { key: 'desk.duration.hm', vars: { h: p.hours, m: p.minutes } };
  return { key: 'desk.duration.ms', vars: { m: p.minutes, s: p.seconds } };
}

const SEVERITY: Record<ClockPhase, number> = {
  met: 0,
  paused: 1,
  running: 2,
  dueSoon: 3,
  breached: 4,
};

/** The queue's SLA badge: the worse of a ticket's two clocks, only when it needs attention. */
export function slaBadge(
  clocks: DeskTicketDetail['clocks'],
  fetchedAt: number,
  now: number,
): 'breached' | 'dueSoon' | null {
  let worst: ClockPhase = 'met';
  for (const clock of [clocks.firstResponse, clocks.resolution]) {
    if (clock === null) continue;
    const { phase } = countdown(clock, fetchedAt, now);
    if (SEVERITY[phase] > SEVERITY[worst]) worst = phase;
  }
  return worst === 'breached' || worst === 'dueSoon' ? worst : null;
}

/** The queue's Due column, in words: "due in 2 h 10 min", "breached 35 min ago", "paused". */
export interface DueWords {
  key: 'desk.due.in' | 'desk.due.breached' | 'desk.due.paused' | 'desk.due.met';
  phase: ClockPhase;
  /** The time in whole minutes: a queue read at a glance does not tick every second. */
  time: {
    key: 'desk.duration.dh' | 'desk.duration.hm' | 'desk.duration.m';
    vars: Record<string, number>;
  } | null;
  /** Signed time left, for sorting and tests (negative: overdue); null once met. */
  remainingMs: number | null;
}

/** Whole minutes, two largest units: "2 d 3 h", "1 h 5 min", "35 min" (under a minute: "0 min"). */
export function minutesMessage(ms: number): NonNullable<DueWords['time']> {
  const p = durationParts(ms);
  if (p.days > 0) return { key: 'desk.duration.dh', vars: { d: p.days, h: p.hours } };
  if (p.hours > 0) return { key: 'desk.duration.hm', vars: { h: p.hours, m: p.minutes } };
  return { key: 'desk.duration.m', vars: { m: p.minutes } };
}

/** The clock due first of a queue row (`due` of GET /tickets) at `now`, in words. */
export function dueWords(clock: SlaClockView, fetchedAt: number, now: number): DueWords {
  const { phase, remainingMs } = countdown(clock, fetchedAt, now);
  if (phase === 'met' || remainingMs === null) {
    return { key: 'desk.due.met', phase, time: null, remainingMs: null };
  }
  const time = minutesMessage(remainingMs);
  if (phase === 'breached') return { key: 'desk.due.breached', phase, time, remainingMs };
  if (phase === 'paused') return { key: 'desk.due.paused', phase, time, remainingMs };
  return { key: 'desk.due.in', phase, time, remainingMs };
}
