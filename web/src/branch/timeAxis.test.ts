import { describe, expect, it } from 'vitest';
import { fittedRange, tickFormat, timeTicks } from './timeAxis';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the latency chart’s time axis', () => {
  it('fits a range to data that starts late, and leaves a full range alone', () => {
    const to = Date.UTC(2026, 11, 6, 12, 0);
    const from = to - 6 * HOUR;
    const fourMinutes = [to - 4 * MINUTE, to - 3 * MINUTE, to - 2 * MINUTE, to - MINUTE];
    const fitted = fittedRange(fourMinutes, from, to);
    expect(fitted).toEqual({ from: to - 5 * MINUTE, to, fitted: true });
    // The data now spans 80 % of the axis instead of 1 %.
    expect((to - fourMinutes[0]!) / (fitted.to - fitted.from)).toBe(0.8);
    expect(fittedRange([from + HOUR, to], from, to)).toEqual({ from, to, fitted: false });
    expect(fittedRange([], from, to)).toEqual({ from, to, fitted: false });
  });

  it('spreads a new check’s rounds a second apart over the chart, not its right edge', () => {
    const to = Date.UTC(2026, 11, 6, 12, 0);
    const from = to - 6 * HOUR;
    const rounds = [5, 4, 3, 2, 1].map((s) => to - s * 1000);
    const fitted = fittedRange(rounds, from, to);
    expect(fitted).toEqual({ from: to - 6000, to, fitted: true });
    // The first round a sixth in, the last at the end: most of the width holds the rounds.
    const at = (t: number) => (t - fitted.from) / (fitted.to - fitted.from);
    expect(at(rounds[0]!)).toBeCloseTo(1 / 6);
    // Its ticks are seconds apart and say so.
    const ticks = timeTicks(fitted.from, fitted.to, 800, 70);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(tickFormat(fitted.to - fitted.from, 'en-GB').format(ticks[1]!)).toMatch(
      /^\d\d:\d\d:\d\d$/,
    );
    // One round alone sits in the middle of what is shown.
    const one = fittedRange([to - 10_000], from, to);
    expect(one).toEqual({ from: to - 20_000, to, fitted: true });
  });

  it('puts ticks on round local times, never more than the labels’ width allows', () => {
    const min = Date.UTC(2026, 11, 6, 6, 7);
    const max = min + 6 * HOUR;
    // 800 px of 60 px labels: 10 fit, so every hour (6 hours need 6 ticks; 30 min would be 12).
    const ticks = timeTicks(min, max, 800, 60);
    expect(ticks.length).toBeLessThanOrEqual(Math.floor(800 / 76));
    expect(ticks.length).toBe(6);
    for (const t of ticks) expect(new Date(t).getMinutes()).toBe(0);
    // A phone's 300 px: fewer, wider-spaced ticks, none closer than a label and its gap.
    const narrow = timeTicks(min, max, 300, 60);
    expect(narrow.length).toBeLessThanOrEqual(Math.floor(300 / 76));
    const px = (t: number) => ((t - min) / (max - min)) * 300;
    for (let i = 1; i < narrow.length; i += 1) {
      expect(px(narrow[i]!) - px(narrow[i - 1]!)).toBeGreaterThanOrEqual(76);
    }
  });

  it('reads hours, weekdays or Jalali dates in Persian', () => {
    const at = Date.UTC(2026, 2, 21, 9, 30);
    expect(tickFormat(HOUR * 6, 'en').format(at)).toMatch(/\d\d:30/);
    const persian = tickFormat(30 * 24 * HOUR, 'fa-IR-u-ca-persian').format(at);
    // 21 March 2026 is 1 Farvardin 1405.
    expect(persian).toBe('۱ فروردین');
  });
});
