// Axis arithmetic shared by the latency chart and the mini charts.

/** About `count` round tick values from 0 to `max` (1, 2 or 5 times a power of ten apart). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9 && ticks.length < 50; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

/** Evenly spaced times across [from, to] for the x axis. */
export function timeTicks(from: number, to: number, count: number): number[] {
  if (!(to > from) || count < 2) return [from];
  const step = (to - from) / (count - 1);
  return Array.from({ length: count }, (_, i) => Math.round(from + i * step));
}

/**
 * Splits a series into runs of consecutive defined points, breaking where a value is missing
 * or where the gap between two points is over `maxGap` ms (the agent was silent: no line).
 */
export function definedRuns(
  t: number[],
  defined: (i: number) => boolean,
  maxGap: number,
): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (let i = 0; i < t.length; i += 1) {
    const gap = i > 0 && t[i]! - t[i - 1]! > maxGap;
    if (!defined(i) || gap) {
      if (run.length > 0) runs.push(run);
      run = [];
    }
    if (defined(i)) run.push(i);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The usual distance between points, for gap detection: the median step. */
export function typicalStep(t: number[]): number {
  const steps: number[] = [];
  for (let i = 1; i < t.length; i += 1) steps.push(t[i]! - t[i - 1]!);
  if (steps.length === 0) return Infinity;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}
