import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { businessMsBetweenEpoch } from '../calendar/business-time.js';
import type { ClockKind, SlaPolicy } from '../policy/sla-policy.js';
import type { ClockSegment } from './clock-timeline.js';
import { ElapsedTime } from './elapsed-time.js';

export type ClockStatus = 'running' | 'paused' | 'met' | 'breached';

export interface EscalationState {
  readonly name: string;
  readonly offsetMs: number;
  /** When the level fires or fired; null when it will not (clock paused or stopped first). */
  readonly at: Date | null;
  readonly fired: boolean;
}

/** One clock of one ticket, as of `now`. Durations are business ms unless named `wall`. */
export interface SlaClock {
  readonly kind: ClockKind;
  readonly policyId: string;
  readonly status: ClockStatus;
  readonly targetMs: number;
  readonly elapsedMs: number;
  /** targetMs − elapsedMs: negative once overdue. */
  readonly remainingMs: number;
  /**
   * When elapsed reaches the target. Null while paused before reaching it (it depends on when
   * the pause ends); for a clock that stopped in time, the deadline as it stood at the stop.
   */
  readonly deadline: Date | null;
  /** When the clock stopped (met, or resolved late); null while it goes on. */
  readonly stoppedAt: Date | null;
  /** Working time that passed while the clock was paused: what the deadline moved by. */
  readonly pausedMs: number;
  readonly pausedWallMs: number;
  readonly warningAt: Date | null;
  readonly warned: boolean;
  readonly escalations: readonly EscalationState[];
}

/** When the policy in force at the end took effect: the start of its last unbroken run. */
function policySince(segments: readonly ClockSegment[], policy: SlaPolicy): number {
  let since = segments.at(-1)!.from;
  for (let i = segments.length - 1; i >= 0 && segments[i]!.policy === policy; i--) {
    since = segments[i]!.from;
  }
  return since;
}

/**
 * Evaluates a clock from its segments. Every instant it reports is "when elapsed business
 * time reached X": the deadline (X = target), the warning (share × target) and each
 * escalation (target + offset), so pauses and calendar changes move them all alike.
 */
export function evaluateClock(
  kind: ClockKind,
  segments: readonly ClockSegment[],
  calendarOf: (policy: SlaPolicy) => BusinessCalendar,
  now: number,
): SlaClock | null {
  const last = segments.at(-1);
  const policy = last?.policy;
  const targetMs = policy?.targets[kind];
  if (!last || !policy || targetMs === undefined) return null;
  // Segments from before any policy matched count on the calendar of the one that governs now.
  const calendar = (s: ClockSegment): BusinessCalendar => calendarOf(s.policy ?? policy);
  const elapsed = new ElapsedTime(segments, calendar, now);
  // An instant the current policy puts before it took effect is reported as the moment it
  // took effect: a ticket cannot have been late under a policy it did not have yet.
  const since = policySince(segments, policy);
  const clamp = (t: number | null): Date | null =>
    t === null ? null : new Date(Math.max(t, since));
  // Running clocks project into the future; stopped or paused ones fire nothing more.
  const firesAt = (x: number): Date | null =>
    clamp(last.phase === 'running' ? elapsed.projectedAt(x) : elapsed.reachedAt(x));

  const deadline = clamp(
    last.phase === 'paused' ? elapsed.reachedAt(targetMs) : elapsed.projectedAt(targetMs),
  );
  const stoppedAt = last.phase === 'stopped' ? last.from : null;
  const breached = deadline !== null && deadline.getTime() < (stoppedAt ?? now);
  const warningAt = firesAt(Math.round(policy.warningShare * targetMs));
  const paused = segments.filter((s) => s.phase === 'paused');
  return {
    kind,
    policyId: policy.id,
    status: breached
      ? 'breached'
      : stoppedAt !== null
        ? 'met'
        : last.phase === 'paused'
          ? 'paused'
          : 'running',
    targetMs,
    elapsedMs: elapsed.totalMs,
    remainingMs: targetMs - elapsed.totalMs,
    deadline,
    stoppedAt: stoppedAt === null ? null : new Date(stoppedAt),
    pausedMs: paused.reduce(
      (sum, s) => sum + businessMsBetweenEpoch(calendar(s), s.from, s.to ?? now),
      0,
    ),
    pausedWallMs: paused.reduce((sum, s) => sum + (s.to ?? now) - s.from, 0),
    warningAt,
    warned: warningAt !== null && warningAt.getTime() <= now,
    escalations: policy.escalations
      .filter((level) => level.clocks === undefined || level.clocks.includes(kind))
      .toSorted((a, b) => a.offsetMs - b.offsetMs)
      .map((level) => {
        const at = firesAt(Math.max(0, targetMs + level.offsetMs));
        const fired = at !== null && at.getTime() <= now;
        return { name: level.name, offsetMs: level.offsetMs, at, fired };
      }),
  };
}
