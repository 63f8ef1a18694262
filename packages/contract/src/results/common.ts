import { z } from 'zod';
import { TOPIC_SEGMENT } from '../topics.js';

/** Fields every probe result has. Each probe type adds `type`, `fields` and its extras. */
export const resultBase = {
  /** The check's id in the agent's config. */
  check: z.string().regex(TOPIC_SEGMENT, 'must be 1-63 of a-z, 0-9, "-", "_"'),
  target: z.string().min(1).max(255),
  /** When the round started. */
  at: z.iso.datetime({ offset: true }),
  status: z.enum(['ok', 'failed']),
  /** Why the round failed: required when status is `failed`. */
  reason: z.string().min(1).max(500).optional(),
};

/** Milliseconds; null when nothing was measured. */
export const ms = z.number().finite().nonnegative().nullable();
export const count = z.number().int().nonnegative();

/**
 * RTT samples, stored as PostgreSQL `real[]`: a value past its range (about 3.4e38) or below
 * its smallest normal (1.2e-38) makes the whole batch fail to store, so samples are bounded to
 * what an RTT can be (at most a day) and the hub stores a tiny value as 0.
 */
export const rttSamples = z
  .array(z.number().finite().nonnegative().max(86_400_000).nullable())
  .max(1000);
