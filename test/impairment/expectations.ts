import type { Impairment } from './relay.js';

/**
 * What the agent should measure through the relay, derived from the configured impairment.
 * README.md shows the derivations.
 */

/**
 * The 95 % band of the loss measured over `n` pings when each is lost with probability `p`:
 * the normal approximation p ± 1.96·√(p(1−p)/n), which is the score test that the Wilson interval
 * inverts (measured loss inside this band ⇔ p inside the Wilson interval of the measurement).
 * In percent, clamped to 0-100; with p = 0 the band is exactly [0, 0].
 */
export function lossBand(n: number, p: number, z = 1.96): { low: number; high: number } {
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return { low: Math.max(0, p - half) * 100, high: Math.min(1, p + half) * 100 };
}

/**
 * Expected value of the agent's jitter (mean |R(i) − R(i−1)| over consecutive replies) when every
 * RTT is delay + X with X drawn independently from the configured distribution:
 * E|X − Y| for independent X, Y. Uniform on [−a, a]: X − Y is triangular on [−2a, 2a], so
 * E|X − Y| = 2a/3. Normal with deviation σ: X − Y ~ N(0, 2σ²), so E|X − Y| = σ√2·√(2/π) = 2σ/√π.
 * Lost pings do not change it: the replies that remain are still independent draws.
 */
export function expectedJitterMs(impairment: Impairment): number {
  const spread = impairment.jitterMs ?? 0;
  return impairment.distribution === 'normal'
    ? (2 * spread) / Math.sqrt(Math.PI)
    : (2 * spread) / 3;
}

/** The tolerance on the median RTT: max(0.5 ms, 2 % of the configured delay). */
export function medianToleranceMs(delayMs: number): number {
  return Math.max(0.5, 0.02 * delayMs);
}

/**
 * The tolerance on the jitter: 20 % of its expected value, and at least 0.5 ms (the same floor as
 * the median's) so that a configured spread of 0 allows the relay's and the host's own noise.
 */
export function jitterToleranceMs(impairment: Impairment): number {
  return Math.max(0.5, 0.2 * expectedJitterMs(impairment));
}

/** Median of numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
