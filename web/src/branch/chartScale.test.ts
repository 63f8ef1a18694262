import { describe, expect, it } from 'vitest';
import { definedRuns, niceTicks, timeTicks, typicalStep } from './chartScale';

describe('chart scales', () => {
  it('picks round ticks', () => {
    expect(niceTicks(33)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(4.4)).toEqual([0, 2, 4]);
    expect(niceTicks(0.9)).toEqual([0, 0.5]);
    expect(niceTicks(0)).toEqual([0]);
  });

  it('spaces times evenly', () => {
    expect(timeTicks(0, 100, 3)).toEqual([0, 50, 100]);
  });

  it('breaks lines at missing values and at long silences', () => {
    const t = [0, 60, 120, 180, 600, 660];
    const values = [1, 2, null, 3, 4, 5];
    expect(typicalStep(t)).toBe(60);
    expect(definedRuns(t, (i) => values[i] !== null, 180)).toEqual([[0, 1], [3], [4, 5]]);
  });
});
