import { describe, expect, it } from 'vitest';
import {
  CODECS,
  delayImpairment,
  eModel,
  effectiveEquipmentImpairment,
  mosFromR,
} from './emodel.js';
import { burstRatio, pathStats } from './loss-pattern.js';

const lost = (pattern: string) => [...pattern].map((c) => c === 'x');

describe('E-model (ITU-T G.107, simplified)', () => {
  it('G.711 with no delay and no loss is the default R 93.2, MOS 4.41 (G.107 §3.7, Annex B)', () => {
    const s = eModel({ codec: CODECS.g711, delayMs: 0, lossPercent: 0 });
    expect(s.r).toBeCloseTo(93.2, 6);
    expect(s.mos).toBeCloseTo(4.409, 3);
  });

  it('maps R to MOS at the category limits of ITU-T G.109 Table 1', () => {
    // R 90 / 80 / 70 / 60 / 50 ↔ MOS 4.34 / 4.03 / 3.60 / 3.10 / 2.58; the table rounds R 80's
    // 4.024 up, so the check allows 0.01.
    const table: [number, number][] = [
      [90, 4.34],
      [80, 4.03],
      [70, 3.6],
      [60, 3.1],
      [50, 2.58],
    ];
    for (const [r, mos] of table) expect(Math.abs(mosFromR(r) - mos)).toBeLessThanOrEqual(0.01);
    expect([mosFromR(-3), mosFromR(3), mosFromR(100), mosFromR(120)]).toEqual([1, 1, 4.5, 4.5]);
  });

  it('charges 0.024 per ms of delay, 0.11 more past the 177.3 ms knee', () => {
    expect(delayImpairment(0)).toBe(0);
    expect(delayImpairment(100)).toBeCloseTo(2.4, 9);
    expect(delayImpairment(177.3)).toBeCloseTo(4.2552, 9);
    expect(delayImpairment(300)).toBeCloseTo(7.2 + 0.11 * 122.7, 9);
    // 150 ms one-way (G.114's planning limit) keeps a G.711 call "very satisfied" (R > 90).
    expect(eModel({ codec: CODECS.g711, delayMs: 150, lossPercent: 0 }).r).toBeCloseTo(89.6, 6);
  });

  it('uses Ie and Bpl of ITU-T G.113 Appendix I for Ie-eff', () => {
    expect(effectiveEquipmentImpairment(CODECS.g729a, 0)).toBe(11);
    // G.711 with PLC, 1 % random loss: 95·1/(1 + 25.1).
    expect(effectiveEquipmentImpairment(CODECS.g711, 1)).toBeCloseTo(95 / 26.1, 9);
    // Without PLC (Bpl 4.3) the same loss hurts about five times as much.
    expect(effectiveEquipmentImpairment(CODECS.g711_noplc, 1)).toBeCloseTo(95 / 5.3, 9);
    // Bursty loss (BurstR 2) hurts more than random loss at the same 2 %.
    expect(effectiveEquipmentImpairment(CODECS.g711, 2, 2)).toBeCloseTo(190 / 26.1, 9);
    expect(effectiveEquipmentImpairment(CODECS.g711, 2, 1)).toBeCloseTo(190 / 27.1, 9);
    const g729 = eModel({ codec: CODECS.g729a, delayMs: 0, lossPercent: 0 });
    expect(g729.r).toBeCloseTo(82.2, 9);
    expect(g729.mos).toBeCloseTo(4.104, 3);
  });

  it('holds R at 0 and MOS at 1 when nothing gets through', () => {
    const s = eModel({ codec: CODECS.g729a, delayMs: 600, lossPercent: 100, burstR: 8 });
    expect([s.r, s.mos]).toEqual([0, 1]);
  });
});

describe('loss pattern (Gilbert model) and path statistics', () => {
  it('gives BurstR 1 for no loss and for isolated losses', () => {
    expect(burstRatio(lost('..........'))).toBe(1);
    // p = 1/8, q = 1: 1/(p+q) < 1, smoother than random, held at G.107's lower limit 1.
    expect(burstRatio(lost('.x........'))).toBe(1);
  });

  it('gives 1/(p+q) for a burst: one run of 4 in 20 packets', () => {
    // p = 1/15 (good→bad), q = 1/4 (bad→good): BurstR = 1/(1/15 + 1/4) ≈ 3.158, close to
    // G.107's equivalent "mean burst length / burst length of random loss" = 0.8 × 4 = 3.2.
    expect(burstRatio(lost('.....xxxx...........'))).toBeCloseTo(1 / (1 / 15 + 1 / 4), 9);
  });

  it('bounds q by the run seen when the burst ends in loss; none when all is lost', () => {
    // p = 1/8, no run ended: q = 1/2 from the trailing run of 2.
    expect(burstRatio(lost('........xx'))).toBeCloseTo(1 / (1 / 8 + 1 / 2), 9);
    expect(burstRatio(lost('xxxx'))).toBeNull();
    expect(burstRatio([])).toBeNull();
  });

  it('measures loss, RTTs and RFC 3550-style jitter over the replies', () => {
    expect(pathStats([1, 3, 2, null, 6])).toEqual({
      sent: 5,
      received: 4,
      loss: 20,
      rttMin: 1,
      rttMean: 3,
      rttMax: 6,
      jitter: 2.333,
      burstR: 1,
    });
    expect(pathStats([])).toMatchObject({ sent: 0, loss: 100, jitter: null, burstR: null });
  });
});
