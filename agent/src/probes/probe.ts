import type { ProbeResult, ProbeType } from '@branchwatch/contract';
import type { z } from 'zod';

/** What a probe measured in one round, before the runner adds the common fields. */
export type ProbeOutcome<T extends ProbeType = ProbeType> = Omit<
  Extract<ProbeResult, { type: T }>,
  'check' | 'type' | 'target' | 'at'
>;

/** The fields of one result type, e.g. `{ connect }` for tcp. */
export type ProbeFields<T extends ProbeType> = Extract<ProbeResult, { type: T }>['fields'];

/** The part of a check a probe sees: never its schedule, which belongs to the runner. */
export interface ProbeCheck<O> {
  id: string;
  target: string;
  options: O;
}

/**
 * One kind of measurement, like blackbox_exporter's `ProbeFn`. A probe only measures: the runner
 * owns deadlines (it aborts `signal`), scheduling and the common fields of a result. A target that
 * fails is an outcome with `status: 'failed'` and a reason; a probe throws only on a bug.
 */
export interface Probe<O, T extends ProbeType = ProbeType> {
  type: T;
  /** The probe's own options, with defaults; strict, so an unknown option is a config error. */
  options: z.ZodType<O, unknown>;
  /** Why a target string is unusable for this probe, or null when it is fine. */
  validateTarget(target: string): string | null;
  /** The longest a round can take with these options, so the config can refuse a shorter timeout. */
  roundMs?(options: O): number;
  /**
   * Set when rounds of this probe that start at the same moment are measured together (icmp:
   * one fping for many targets). The scheduler then starts them on a grid of `alignMs` common
   * to all such checks, and does not count them against `concurrency`: the probe bounds its
   * own processes.
   */
  sharedRounds?: { alignMs: number };
  /** The fields of a round that measured nothing (cut off by its deadline). */
  blankFields(options: O): ProbeFields<T>;
  run(check: ProbeCheck<O>, signal: AbortSignal): Promise<ProbeOutcome<T>>;
}
