import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { addBusinessMsEpoch, businessMsBetweenEpoch } from '../calendar/business-time.js';
import type { ClockSegment } from './clock-timeline.js';

/** The business time a clock has run, as a function of time: "when did it reach X?". */
export class ElapsedTime {
  readonly totalMs: number;
  private readonly running: readonly ClockSegment[];
  /** Business ms of each running segment, computed once: every threshold walks them. */
  private readonly runningMs: readonly number[];

  /**
   * @param segments all of the clock's segments; only running ones count.
   * @param calendarOf the calendar each segment is counted on.
   * @param now the end of a segment that is still going.
   */
  constructor(
    private readonly segments: readonly ClockSegment[],
    private readonly calendarOf: (s: ClockSegment) => BusinessCalendar,
    private readonly now: number,
  ) {
    this.running = segments.filter((s) => s.phase === 'running');
    this.runningMs = this.running.map((s) =>
      businessMsBetweenEpoch(calendarOf(s), s.from, s.to ?? now),
    );
    this.totalMs = this.runningMs.reduce((sum, ms) => sum + ms, 0);
  }

  /** When the clock reached `x` ms, if it did by now; null otherwise. */
  reachedAt(x: number): number | null {
    let acc = 0;
    for (const [i, s] of this.running.entries()) {
      const available = this.runningMs[i]!;
      if (x - acc <= available) return addBusinessMsEpoch(this.calendarOf(s), s.from, x - acc);
      acc += available;
    }
    return null;
  }

  /**
   * When the clock reached or would reach `x` ms, had it run on from where it last ran
   * (`now` for a running clock) on that stretch's calendar.
   */
  projectedAt(x: number): number {
    const reached = this.reachedAt(x);
    if (reached !== null) return reached;
    const last = this.running.at(-1);
    // A clock that never ran (paused from the first instant) would start where it began.
    const from = last ? (last.to ?? this.now) : this.segments[0]!.from;
    return addBusinessMsEpoch(this.calendarOf(last ?? this.segments[0]!), from, x - this.totalMs);
  }
}
