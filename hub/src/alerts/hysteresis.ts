import type { CheckState } from '../fleet/check.model.js';

/**
 * A check's state changes only after N failed rounds in a row, and back after M good ones
 * (docs/architecture.md "Alerts become tickets"), so one lost round does not page anyone.
 */
export interface HysteresisRule {
  failRounds: number;
  recoverRounds: number;
}

export interface CheckCounters {
  state: CheckState;
  /** Since when the check has been in `state`. */
  stateSince: Date | null;
  failStreak: number;
  okStreak: number;
  /** When the current streak of good or bad rounds began. */
  streakSince: Date | null;
}

export interface RoundOutcome {
  at: Date;
  ok: boolean;
}

export interface Transition {
  from: CheckState;
  to: 'ok' | 'failing';
  at: Date;
  /** When the state that ended began. */
  since: Date | null;
  /** When the streak that caused the change began: the first bad round of an outage. */
  streakStart: Date;
}

/**
 * Applies rounds in time order and returns the new counters and every state change. A check
 * with no history becomes ok on its first good round, and failing after N bad ones.
 */
export function applyRounds(
  counters: CheckCounters,
  rounds: readonly RoundOutcome[],
  rule: HysteresisRule,
): { counters: CheckCounters; transitions: Transition[] } {
  let { state, stateSince, failStreak, okStreak, streakSince } = counters;
  const transitions: Transition[] = [];
  for (const round of rounds) {
    if (round.ok) {
      if (okStreak === 0) streakSince = round.at;
      okStreak += 1;
      failStreak = 0;
    } else {
      if (failStreak === 0) streakSince = round.at;
      failStreak += 1;
      okStreak = 0;
    }
    const next = nextState(state, failStreak, okStreak, rule);
    if (next !== state && next !== 'unknown') {
      const start = streakSince ?? round.at;
      transitions.push({
        from: state,
        to: next,
        at: round.at,
        since: stateSince,
        streakStart: start,
      });
      state = next;
      // The failing state began with the first bad round of the streak, not the Nth.
      stateSince = next === 'failing' ? start : round.at;
    }
  }
  return { counters: { state, stateSince, failStreak, okStreak, streakSince }, transitions };
}

function nextState(
  state: CheckState,
  failStreak: number,
  okStreak: number,
  rule: HysteresisRule,
): CheckState {
  if (state !== 'failing' && failStreak >= rule.failRounds) return 'failing';
  if (state === 'failing' && okStreak >= rule.recoverRounds) return 'ok';
  if (state === 'unknown' && okStreak >= 1) return 'ok';
  return state;
}
