import { apiError } from '../http/errors.js';
import { SlidingWindowLimiter } from '../identity/rate-limit.js';

/**
 * How often "send test" may run (docs/notifications.md): per channel (subscription), so that
 * nobody floods a receiver, and per person, so that nobody probes many destinations in a row.
 * A test sends one real message to an address the hub does not own.
 */
export const TEST_LIMITS = {
  perChannel: { max: 3, windowMs: 60_000 },
  perPerson: { max: 10, windowMs: 10 * 60_000 },
} as const;

/**
 * Counts each test as it is asked for; past a limit, 429 `BW_ERR_RATE_LIMITED` with
 * `retryAfterSeconds` (sent as Retry-After too) and which limit it was (`limit`: channel or
 * person). In this process's memory, like the sign-in counters (docs/security.md).
 */
export class TestThrottle {
  readonly #channels = new SlidingWindowLimiter(
    TEST_LIMITS.perChannel.max,
    TEST_LIMITS.perChannel.windowMs,
  );
  readonly #people = new SlidingWindowLimiter(
    TEST_LIMITS.perPerson.max,
    TEST_LIMITS.perPerson.windowMs,
  );

  take(userId: string, subscriptionId: string, now = Date.now()): void {
    const person = this.#people.retryAfterMs(userId, now);
    const channel = this.#channels.retryAfterMs(subscriptionId, now);
    if (person > 0 || channel > 0) {
      const limit = person >= channel ? 'person' : 'channel';
      const { max, windowMs } = limit === 'person' ? TEST_LIMITS.perPerson : TEST_LIMITS.perChannel;
      const retryAfterSeconds = Math.ceil(Math.max(person, channel) / 1000);
      throw apiError(
        429,
        'BW_ERR_RATE_LIMITED',
        `at most ${max} tests per ${limit} in ${windowMs / 60_000} min; try again in ${retryAfterSeconds} s`,
        { retryAfterSeconds, limit, max, windowMinutes: windowMs / 60_000 },
      );
    }
    this.#people.hit(userId, now);
    this.#channels.hit(subscriptionId, now);
  }
}
