import { z } from 'zod';
import { timestamp, uuid } from '../http/schemas.js';

/** The answer of the series route: a check's rounds or rollups over a range. */
const fieldStats = z.object({
  n: z.number().int(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  median: z.number(),
});
const checkRef = z.object({ id: uuid, key: z.string(), type: z.string(), target: z.string() });

export const seriesAnswer = z.object({
  check: checkRef,
  from: timestamp,
  to: timestamp,
  resolution: z.enum(['raw', '1m', '1h', '1d']),
  points: z.array(
    z.object({
      t: timestamp,
      rounds: z.number().int(),
      failed: z.number().int(),
      /** Per numeric field, its statistics over the bucket (n = 1 for raw rounds). */
      stats: z.record(z.string(), fieldStats),
      /** Raw rounds only: every RTT of the round. */
      samples: z.array(z.number().nullable()).nullable().optional(),
      reason: z.string().nullable().optional(),
    }),
  ),
  availability: z.object({
    rounds: z.number().int(),
    failed: z.number().int(),
    percent: z.number().nullable(),
  }),
});

export const heartbeatsAnswer = z.object({
  items: z.array(
    z.object({
      checkId: uuid,
      /** Its last rounds (at most 30, from the last day), oldest first. */
      rounds: z.array(z.object({ at: timestamp, ok: z.boolean() })),
      /** Share of those rounds that were ok. */
      uptimePercent: z.number(),
    }),
  ),
});
