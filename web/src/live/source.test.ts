import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { pollingSource } from './source';

afterEach(() => {
  vi.useRealTimers();
});

describe('pollingSource', () => {
  it('loads now, then again after each answer, until stopped', async () => {
    vi.useFakeTimers();
    let n = 0;
    const seen: number[] = [];
    const stop = pollingSource(async () => ++n, 5000).subscribe({
      next: (value) => seen.push(value),
      error: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(seen).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([1, 2]);
    stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen).toEqual([1, 2]);
  });

  it('reports failures as ApiError and keeps polling', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const errors: string[] = [];
    const values: string[] = [];
    const stop = pollingSource(async () => {
      calls += 1;
      if (calls === 1) throw new ApiError(503, 'BW_ERR_HTTP_503', 'busy');
      if (calls === 2) throw new TypeError('bug');
      return 'ok';
    }, 100).subscribe({
      next: (value) => values.push(value),
      error: (error) => errors.push(`${error.status} ${error.code} ${error.message}`),
    });
    await vi.advanceTimersByTimeAsync(250);
    stop();
    expect(errors).toEqual(['503 BW_ERR_HTTP_503 busy', '0 BW_ERR_BAD_RESPONSE bug']);
    expect(values).toEqual(['ok']);
  });

  it('loads once when there is no interval', async () => {
    vi.useFakeTimers();
    let calls = 0;
    pollingSource(async () => ++calls, null).subscribe({
      next: () => undefined,
      error: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
  });
});
