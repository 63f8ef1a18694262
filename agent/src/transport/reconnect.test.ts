import { describe, expect, it } from 'vitest';
import { backoffDelay, describeFailure } from './reconnect.js';

describe('backoffDelay', () => {
  const at = (failures: number, random: number) =>
    backoffDelay(failures, { baseMs: 1000, maxMs: 30_000, random: () => random });

  it('doubles per failure in a row, with half of each delay random', () => {
    expect([0, 1, 2, 3, 4].map((n) => at(n, 0))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect([0, 1, 2, 3, 4].map((n) => at(n, 0.5))).toEqual([750, 1500, 3000, 6000, 12_000]);
  });

  it('stops growing at the longest delay', () => {
    expect(at(5, 0)).toBe(15_000);
    expect(at(40, 0)).toBe(15_000);
    expect(at(1000, 0.999_999)).toBe(30_000);
  });
});

describe('describeFailure', () => {
  const refused = (code: number) =>
    describeFailure(Object.assign(new Error(`Connection refused: ${code}`), { code }));

  it('tells a refusal that may pass from one that will not', () => {
    expect(refused(3)).toMatchObject({ key: 'refused:3', final: false });
    expect(refused(3).message).toContain('server unavailable');
    for (const code of [1, 2, 4, 5]) expect(refused(code).final).toBe(true);
    expect(refused(4).message).toContain('bad user name or password');
    expect(refused(5).message).toContain('not authorized');
    // MQTT 5 "Server busy" and anything unknown: may pass, so retried with backoff.
    expect(refused(0x89)).toMatchObject({ key: 'refused:137', final: false });
  });

  it('groups network failures by their error code', () => {
    const failure = describeFailure(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    );
    expect(failure).toMatchObject({
      key: 'unreachable:ECONNREFUSED',
      final: false,
      message: 'cannot reach the broker',
      fields: { err: 'connect ECONNREFUSED 127.0.0.1:1' },
    });
    expect(describeFailure(new Error('connack timeout')).key).toBe('unreachable:connack timeout');
  });
});
