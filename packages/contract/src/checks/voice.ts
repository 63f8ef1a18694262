import { VOICE_CODECS } from '../results/voice.js';
import { z } from 'zod';

/** Options of a voice check; every one has a default, so `options` may be left out. */
export const voiceOptions = z.strictObject({
  /** Probe packets per burst: 50 at 20 ms is one second of a call's packet rate. */
  count: z.number().int().min(5).max(1000).default(50),
  /** Spacing of the probe packets, ms: 20 is the usual RTP packet interval. */
  intervalMs: z.number().int().min(10).max(1000).default(20),
  /** A reply later than this after its request counts as lost, as a jitter buffer would drop it. */
  replyTimeoutMs: z.number().int().min(50).max(10_000).default(1000),
  /** Codecs to score; the first one's R and MOS go into the result's fields. */
  codecs: z
    .array(z.enum(VOICE_CODECS))
    .min(1)
    .max(VOICE_CODECS.length)
    .refine((list) => new Set(list).size === list.length, 'each codec once')
    .default(['g711', 'g729a']),
  /** Fixed jitter-buffer depth, ms; left out, the allowance is 2 × the measured jitter. */
  jitterBufferMs: z.number().min(0).max(1000).optional(),
});

export type VoiceOptions = z.infer<typeof voiceOptions>;
