import { z } from 'zod';

/** Options of an icmp check; every one has a default, so `options` may be left out. */
export const icmpOptions = z
  .strictObject({
    /** Echo requests per round (fping -C). */
    count: z.number().int().min(1).max(1000).default(5),
    /** Time between two echo requests to the target, ms (fping -p). fping refuses less than 10 ms without root. */
    periodMs: z.number().int().min(10).max(60_000).default(200),
    /**
     * How long to wait for each reply, ms (fping -t). Always passed: without it fping's per-ping
     * timeout is the period, so a slow link with a short period reads as loss.
     */
    perPingTimeoutMs: z.number().int().min(1).max(60_000).default(1000),
    /**
     * Leave the first ping of each round out of the statistics: its reply is often slow because
     * the first packet waits for ARP or neighbour discovery. It stays first in `samples`.
     */
    discardFirst: z.boolean().default(false),
  })
  .refine((o) => !o.discardFirst || o.count >= 2, {
    path: ['count'],
    message: 'discardFirst needs a count of at least 2',
  });

export type IcmpOptions = z.infer<typeof icmpOptions>;
