import type { IcmpFields } from '@branchwatch/contract';

/** One ping of a round: its round-trip time in ms, or null when no reply came in time. */
export type Sample = number | null;

/**
 * Statistics of one ICMP round, from its samples in send order. Pure, so that the numbers the
 * hub stores can be checked by hand (see README.md for each definition):
 *
 * - loss: percent of pings without a reply, 0-100;
 * - median: middle RTT, or the mean of the two middle ones for an even count;
 * - p95: nearest-rank percentile, the RTT at rank ceil(0.95 × n) of the n sorted replies;
 * - jitter: mean absolute difference of consecutive replies' RTTs, RFC 3550 §6.4.1's
 *   |D(i-1,i)| without its 1/16 smoothing; lost pings are skipped, not treated as zero.
 *
 * RTT statistics are null when nothing was received; jitter also needs two replies.
 * Values are rounded to 3 decimals (microseconds), fping's own resolution.
 */
export function roundStats(samples: readonly Sample[]): IcmpFields {
  const sent = samples.length;
  const rtts = samples.filter((s): s is number => s !== null);
  const received = rtts.length;
  const loss = sent === 0 ? 100 : round3(((sent - received) / sent) * 100);
  if (received === 0) {
    return { sent, received, loss, min: null, median: null, p95: null, max: null, jitter: null };
  }
  const sorted = [...rtts].sort((a, b) => a - b);
  return {
    sent,
    received,
    loss,
    min: round3(sorted[0]!),
    median: round3(median(sorted)),
    p95: round3(nearestRank(sorted, 95)),
    max: round3(sorted[sorted.length - 1]!),
    jitter: received < 2 ? null : round3(meanConsecutiveDifference(rtts)),
  };
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: the smallest value with at least `percent`% of values at or below it. */
function nearestRank(sorted: readonly number[], percent: number): number {
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1]!;
}

function meanConsecutiveDifference(rtts: readonly number[]): number {
  let sum = 0;
  for (let i = 1; i < rtts.length; i++) sum += Math.abs(rtts[i]! - rtts[i - 1]!);
  return sum / (rtts.length - 1);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
