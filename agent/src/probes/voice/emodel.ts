import type { VoiceCodec } from '@branchwatch/contract';

/**
 * The ITU-T G.107 E-model in the simplified form most VoIP monitors use (Cole & Rosenbluth,
 * "Voice over IP performance monitoring", ACM SIGCOMM CCR 31(2), 2001):
 *
 *   R = 93.2 − Id − Ie-eff                (G.107 with every other parameter at its default)
 *   Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)
 *   Ie-eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl)      (G.107 (03/2005) §3.5)
 *   MOS = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶       (G.107 Annex B)
 *
 * d is the one-way mouth-to-ear delay in ms, Ppl the packet loss in percent, BurstR the burst
 * ratio (1 for random loss). Pure: no I/O, no clock, so it is tested against worked values.
 */

export interface CodecProfile {
  label: string;
  /** Equipment impairment factor, ITU-T G.113 Appendix I. */
  ie: number;
  /** Packet-loss robustness factor, ITU-T G.113 Appendix I. */
  bpl: number;
  /** Audio per packet, ms: the sender waits this long to fill a packet. */
  packetMs: number;
  /** Algorithmic look-ahead of the coder, ms (G.729 §3: 5 ms; G.723.1: 7.5 ms). */
  lookaheadMs: number;
}

/**
 * Provisional planning values of ITU-T G.113 Appendix I (Ie in Table I.1, Bpl in Table I.3):
 * G.711 with packet loss concealment (G.711 Appendix I) Bpl 25.1, without it 4.3; G.729A with
 * VAD Ie 11, Bpl 19.0; G.723.1 at 6.3 kbit/s with VAD Ie 15, Bpl 16.1. Packet sizes are the
 * usual ones (20 ms; 30 ms, one frame, for G.723.1).
 */
export const CODECS: Record<VoiceCodec, CodecProfile> = {
  g711: { label: 'G.711 with PLC', ie: 0, bpl: 25.1, packetMs: 20, lookaheadMs: 0 },
  g711_noplc: { label: 'G.711 without PLC', ie: 0, bpl: 4.3, packetMs: 20, lookaheadMs: 0 },
  g729a: { label: 'G.729A with VAD', ie: 11, bpl: 19.0, packetMs: 20, lookaheadMs: 5 },
  g723_1: {
    label: 'G.723.1 6.3 kbit/s with VAD',
    ie: 15,
    bpl: 16.1,
    packetMs: 30,
    lookaheadMs: 7.5,
  },
};

/** G.107 R with every parameter at its default except delay and loss (G.107 (03/2005) §3.7: the defaults give R = 93.2). */
export const R_DEFAULT = 93.2;
/** Where the delay impairment steepens: the knee of G.107's Idd curve in the fitted form. */
export const DELAY_KNEE_MS = 177.3;

/** Delay impairment Id for a one-way delay d in ms (fitted to G.107 §3.4 Idd with echo cancelled). */
export function delayImpairment(delayMs: number): number {
  const d = Math.max(0, delayMs);
  return 0.024 * d + (d > DELAY_KNEE_MS ? 0.11 * (d - DELAY_KNEE_MS) : 0);
}

/**
 * Effective equipment impairment (G.107 (03/2005) §3.5). Ppl in percent; BurstR 1 is random
 * loss, above 1 bursty loss, which hurts more at the same Ppl.
 */
export function effectiveEquipmentImpairment(
  codec: Pick<CodecProfile, 'ie' | 'bpl'>,
  lossPercent: number,
  burstR = 1,
): number {
  const ppl = Math.min(100, Math.max(0, lossPercent));
  if (ppl === 0) return codec.ie;
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl / burstR + codec.bpl);
}

export interface EModelInput {
  codec: Pick<CodecProfile, 'ie' | 'bpl'>;
  /** One-way mouth-to-ear delay, ms. */
  delayMs: number;
  lossPercent: number;
  burstR?: number;
}

export interface EModelScore {
  idelay: number;
  ieEff: number;
  /** R, clamped to 0-100. */
  r: number;
  mos: number;
}

export function eModel(input: EModelInput): EModelScore {
  const idelay = delayImpairment(input.delayMs);
  const ieEff = effectiveEquipmentImpairment(input.codec, input.lossPercent, input.burstR ?? 1);
  const r = Math.min(100, Math.max(0, R_DEFAULT - idelay - ieEff));
  return { idelay, ieEff, r, mos: mosFromR(r) };
}

/**
 * G.107 Annex B: the estimated conversational MOS for an R. The cubic dips just below 1
 * for R under about 6.5, so the result is held at 1 there; 4.5 from R 100 on.
 */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}
