import { z } from 'zod';
import { count, ms, resultBase, rttSamples } from './common.js';

/**
 * Codecs the E-model can score, with Ie/Bpl from ITU-T G.113 Appendix I: G.711 with and without
 * packet loss concealment, G.729A (with VAD) and G.723.1 at 6.3 kbit/s (with VAD).
 */
export const VOICE_CODECS = ['g711', 'g711_noplc', 'g729a', 'g723_1'] as const;

/** R-factor as the E-model gives it (ITU-T G.107), clamped to 0-100; null when unknown. */
const rFactor = z.number().min(0).max(100).nullable();
/** Mean opinion score, conversational quality estimate (G.107 Annex B), 1-4.5; null when unknown. */
const mos = z.number().min(1).max(4.5).nullable();

/** One burst of probe packets toward a PBX, and the voice quality it predicts. */
export const voiceFields = z.strictObject({
  sent: count,
  received: count,
  /** Percent of probe packets without a reply in time, 0-100. */
  loss: z.number().min(0).max(100),
  rttMin: ms,
  rttMean: ms,
  rttMax: ms,
  /** Mean absolute difference of consecutive RTTs (RFC 3550 §6.4.1 D, without smoothing), ms. */
  jitter: ms,
  /** G.107 burst ratio from the loss pattern (Gilbert model, 1/(p+q)), clamped to 1-8. */
  burstR: z.number().min(1).max(8).nullable(),
  /** Estimated one-way network delay: RTT/2 plus the jitter-buffer allowance, ms. */
  delay: ms,
  /** R and MOS of the first configured codec. */
  r: rFactor,
  mos,
});

/** The scores of one codec over the same burst. */
export const voiceCodecScore = z.strictObject({
  codec: z.enum(VOICE_CODECS),
  /** Mouth-to-ear delay used for Id: network delay plus the codec's packet and look-ahead, ms. */
  delay: ms,
  /** Effective equipment impairment Ie-eff (ITU-T G.107 §3.5). */
  ieEff: z.number().min(0).max(95).nullable(),
  r: rFactor,
  mos,
});

export const voiceResult = z.strictObject({
  ...resultBase,
  type: z.literal('voice'),
  fields: voiceFields,
  codecs: z.array(voiceCodecScore).max(VOICE_CODECS.length).optional(),
  /** Every RTT of the burst in send order, ms; null for a packet without a reply. */
  samples: rttSamples.optional(),
});

export type VoiceCodec = (typeof VOICE_CODECS)[number];
export type VoiceFields = z.infer<typeof voiceFields>;
export type VoiceCodecScore = z.infer<typeof voiceCodecScore>;
export type VoiceResult = z.infer<typeof voiceResult>;
