import { describe, expect, it } from 'vitest';
import { expectedJitterMs, jitterToleranceMs, lossBand, median } from './expectations.js';

// A seeded generator (mulberry32), so that the simulation below gives the same figures every run.
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The agent's jitter (mean |consecutive difference|) over simulated RTTs delay + X. */
function simulatedJitter(draw: () => number, n: number): number {
  let previous = draw();
  let sum = 0;
  for (let i = 1; i < n; i++) {
    const next = draw();
    sum += Math.abs(next - previous);
    previous = next;
  }
  return sum / (n - 1);
}

describe('expected jitter', () => {
  it('is 2a/3 for a uniform spread of ±a, as a simulation confirms', () => {
    const random = seeded(1);
    expect(expectedJitterMs({ delayMs: 50, jitterMs: 5 })).toBeCloseTo(10 / 3, 10);
    const simulated = simulatedJitter(() => 50 + 5 * (2 * random() - 1), 200_000);
    expect(simulated).toBeCloseTo(10 / 3, 1);
  });

  it('is 2σ/√π for a normal spread σ, as a simulation confirms', () => {
    const random = seeded(2);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const expected = expectedJitterMs({ delayMs: 50, jitterMs: 4, distribution: 'normal' });
    expect(expected).toBeCloseTo(4.5135, 3);
    expect(simulatedJitter(() => 50 + 4 * normal(), 200_000)).toBeCloseTo(expected, 1);
  });

  it('allows 20 % of the expected value, at least 0.5 ms', () => {
    expect(jitterToleranceMs({ delayMs: 50, jitterMs: 5 })).toBeCloseTo(2 / 3, 10);
    expect(jitterToleranceMs({ delayMs: 200 })).toBe(0.5);
  });
});

describe('lossBand', () => {
  it('is p ± 1.96·√(p(1−p)/n) in percent', () => {
    const band = lossBand(200, 0.1);
    expect(band.low).toBeCloseTo(5.842, 3);
    expect(band.high).toBeCloseTo(14.158, 3);
    expect(lossBand(200, 0.02).low).toBeCloseTo(0.06, 2);
    expect(lossBand(200, 0)).toEqual({ low: 0, high: 0 });
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
