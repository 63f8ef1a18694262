import type { z } from 'zod';
import { positiveInt } from './shared.js';

/**
 * Bounds that keep one client from stalling or swelling the hub (docs/security.md): what ingest
 * accepts from an agent, what the embedded broker accepts from a socket, database pools and
 * their timeouts, and how long an HTTP request and an upload may take.
 */
export const limitKeys = {
  BW_INGEST_MAX_FUTURE_SECONDS: positiveInt
    .max(30 * 86400)
    .default(86400)
    .describe(
      "A results batch with a round more than this far ahead of the hub's clock is refused (counted, acknowledged); rounds older than the retention are dropped.",
    ),
  BW_INGEST_MAX_CHECKS_PER_AGENT: positiveInt
    .max(100_000)
    .default(1000)
    .describe(
      'Most checks one results batch may name (an agent runs at most 1,000); a batch naming more is refused (counted, acknowledged).',
    ),
};

type LimitSettings = z.infer<z.ZodObject<typeof limitKeys>>;

export interface HubLimits {
  ingest: { maxFutureSeconds: number; maxChecksPerAgent: number };
}

export function limitsConfig(c: LimitSettings): HubLimits {
  return {
    ingest: {
      maxFutureSeconds: c.BW_INGEST_MAX_FUTURE_SECONDS,
      maxChecksPerAgent: c.BW_INGEST_MAX_CHECKS_PER_AGENT,
    },
  };
}
