import { describe, expect, it } from 'vitest';
import { TEST_LIMITS, TestThrottle } from './test-throttle.js';

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err as { status: number; code: string; details: Record<string, unknown> };
  }
  return undefined;
};

describe('the limit of channel tests', () => {
  it('lets a channel be tested three times a minute and says when the next may go', () => {
    const throttle = new TestThrottle();
    const t0 = 1_000_000;
    for (let i = 0; i < TEST_LIMITS.perChannel.max; i++) throttle.take('ana', 'hook', t0 + i);
    const refused = refusal(() => throttle.take('ana', 'hook', t0 + 20_000));
    expect(refused).toMatchObject({
      status: 429,
      code: 'BW_ERR_RATE_LIMITED',
      details: { limit: 'channel', retryAfterSeconds: 40, max: 3, windowMinutes: 1 },
    });
    // Another person is held by the same channel's limit; another channel is free.
    expect(refusal(() => throttle.take('bo', 'hook', t0 + 20_000))?.details.limit).toBe('channel');
    expect(refusal(() => throttle.take('ana', 'mail', t0 + 20_000))).toBeUndefined();
    // A refused attempt does not count: once the first test is a minute old, one more goes.
    expect(refusal(() => throttle.take('ana', 'hook', t0 + 60_001))).toBeUndefined();
  });

  it('lets one person send ten tests in ten minutes, over any channels', () => {
    const throttle = new TestThrottle();
    const t0 = 5_000_000;
    for (let i = 0; i < TEST_LIMITS.perPerson.max; i++)
      throttle.take('ana', `channel-${i}`, t0 + i * 1000);
    const refused = refusal(() => throttle.take('ana', 'channel-new', t0 + 60_000));
    expect(refused).toMatchObject({
      status: 429,
      details: { limit: 'person', retryAfterSeconds: 540, max: 10, windowMinutes: 10 },
    });
    expect(refusal(() => throttle.take('bo', 'channel-new', t0 + 60_000))).toBeUndefined();
    expect(refusal(() => throttle.take('ana', 'channel-new', t0 + 600_001))).toBeUndefined();
  });
});
