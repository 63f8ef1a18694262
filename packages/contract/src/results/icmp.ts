import { z } from 'zod';
import { count, ms, resultBase, rttSamples } from './common.js';

/** One ICMP round: `sent` echo requests, `received` replies, statistics over the replies' RTTs. */
export const icmpFields = z.strictObject({
  sent: count,
  received: count,
  /** Percent of echo requests without a reply, 0-100. */
  loss: z.number().min(0).max(100),
  min: ms,
  median: ms,
  p95: ms,
  max: ms,
  /** Mean absolute difference of consecutive RTTs (RFC 3550 §6.4.1 without smoothing), ms. */
  jitter: ms,
});

export const icmpResult = z.strictObject({
  ...resultBase,
  type: z.literal('icmp'),
  fields: icmpFields,
  /** Every RTT of the round in send order, ms; null for a ping without a reply. */
  samples: rttSamples.optional(),
});

export type IcmpFields = z.infer<typeof icmpFields>;
export type IcmpResult = z.infer<typeof icmpResult>;
