/** What a burst's reply pattern says about the path, before any voice model. */
export interface PathStats {
  sent: number;
  received: number;
  /** Percent of packets without a reply, 0-100. */
  loss: number;
  rttMin: number | null;
  rttMean: number | null;
  rttMax: number | null;
  jitter: number | null;
  burstR: number | null;
}

/** G.107 §3.7 (Table 3) gives BurstR a permitted range of 1 to 8; the model is not defined outside it. */
export const BURST_R_RANGE = [1, 8] as const;

/**
 * Burst ratio from a loss pattern with the 2-state Gilbert model G.107 §3.5 assumes: p is the
 * chance that a packet is lost after a received one, q that one is received after a lost one, and
 * BurstR = 1/(p + q) (1 for independent loss, where p + q = 1). p and q are counted from the
 * transitions seen. When no loss run ended inside the burst (the last packets were lost), q is
 * bounded by the run that was seen: 1 / its length. Null when nothing or everything was lost.
 */
export function burstRatio(lost: readonly boolean[]): number | null {
  const losses = lost.filter(Boolean).length;
  if (lost.length === 0 || losses === lost.length) return null;
  if (losses === 0) return 1;
  let fromGood = 0;
  let goodToBad = 0;
  let fromBad = 0;
  let badToGood = 0;
  for (let i = 1; i < lost.length; i++) {
    if (lost[i - 1]) {
      fromBad++;
      if (!lost[i]) badToGood++;
    } else {
      fromGood++;
      if (lost[i]) goodToBad++;
    }
  }
  let trailing = 0;
  for (let i = lost.length - 1; i >= 0 && lost[i]; i--) trailing++;
  const p = fromGood > 0 ? goodToBad / fromGood : 0;
  const q = badToGood > 0 ? badToGood / fromBad : 1 / Math.max(1, trailing);
  const ratio = p + q > 0 ? 1 / (p + q) : BURST_R_RANGE[1];
  return Math.min(BURST_R_RANGE[1], Math.max(BURST_R_RANGE[0], ratio));
}

/** RTT statistics, RFC 3550-style jitter and BurstR from a burst's samples (null = lost). */
export function pathStats(samples: readonly (number | null)[]): PathStats {
  const rtts = samples.filter((s): s is number => s !== null);
  const sent = samples.length;
  const received = rtts.length;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  // RFC 3550 §6.4.1: D is the difference in transit time of two packets; with RTTs that is the
  // difference of consecutive RTTs. The mean of |D| is used instead of the 1/16-smoothed J, which
  // needs far more packets than a burst has to settle (the icmp probe reports the same measure).
  let jitter: number | null = null;
  if (received >= 2) {
    let sum = 0;
    for (let i = 1; i < received; i++) sum += Math.abs(rtts[i]! - rtts[i - 1]!);
    jitter = round(sum / (received - 1));
  }
  return {
    sent,
    received,
    // Nothing sent: nothing known to have arrived, as the icmp probe reports it.
    loss: sent === 0 ? 100 : round(((sent - received) / sent) * 100),
    rttMin: received ? round(Math.min(...rtts)) : null,
    rttMean: received ? round(rtts.reduce((a, b) => a + b, 0) / received) : null,
    rttMax: received ? round(Math.max(...rtts)) : null,
    jitter,
    burstR: burstRatio(samples.map((s) => s === null)),
  };
}
