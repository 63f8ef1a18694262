/**
 * Turning SNMP counters read in two rounds into rates. Pure: the probe keeps the previous
 * reading and hands both in, so every case below is a unit test.
 *
 * Counters (RFC 2578 §7.1.6, §7.1.10) only count up and wrap to zero at 2^32 or 2^64; their
 * absolute value means nothing, only the difference between two readings does, and only while
 * the counter was not reset in between. A reset shows as a restart of the agent (sysUpTime) or,
 * per interface, as a new ifCounterDiscontinuityTime (RFC 2863 §3.1.6).
 */

const TIMETICKS_MODULUS = 2 ** 32;

/** One interface's counters in one round; null where the agent did not return the object. */
export interface InterfaceCounters {
  /** ifCounterDiscontinuityTime (TimeTicks), null when the agent does not implement it. */
  discontinuity: number | null;
  /** ifHCInOctets / ifHCOutOctets: Counter64. */
  inOctets: bigint | null;
  outOctets: bigint | null;
  /** ifInErrors, ifOutErrors, ifInDiscards, ifOutDiscards: Counter32. */
  inErrors: bigint | null;
  outErrors: bigint | null;
  inDiscards: bigint | null;
  outDiscards: bigint | null;
}

/**
 * The clocks of one reading: ours (monotonic ms, when the request was sent), the agent's
 * sysUpTime (centiseconds), and how long the answer took: the agent read its clock somewhere
 * in that span.
 */
export interface Clocks {
  atMs: number;
  uptimeTicks: number;
  spanMs: number;
}

export interface InterfaceRates {
  inBitsPerSecond: number | null;
  outBitsPerSecond: number | null;
  inErrorsPerSecond: number | null;
  outErrorsPerSecond: number | null;
  inDiscardsPerSecond: number | null;
  outDiscardsPerSecond: number | null;
  /** This reading is a new baseline: no rates this round. */
  countersReset: boolean;
}

/**
 * Whether the agent restarted between two readings. sysUpTime should have advanced by about
 * the time that passed; clearly less means it started again from zero (RFC 3418 sysUpTime: "the
 * time since the network management portion of the system was last re-initialized"). This also
 * catches a reboot whose new uptime already exceeds the old one. sysUpTime is TimeTicks and
 * wraps after 2^32 centiseconds (about 497 days), which is not a reboot: the comparison is done
 * modulo 2^32. The margin is the previous answer's span (the agent read its clock somewhere in
 * it, so it may look up to that much behind), plus 0.5 s and 1 % for the clocks' drift.
 */
export function detectReboot(previous: Clocks, current: Clocks): boolean {
  const elapsedTicks = Math.max(0, (current.atMs - previous.atMs) / 10);
  const expected = (previous.uptimeTicks + elapsedTicks) % TIMETICKS_MODULUS;
  let behind = (expected - current.uptimeTicks) % TIMETICKS_MODULUS;
  if (behind < 0) behind += TIMETICKS_MODULUS;
  // Ahead of the expectation (the other half of the circle) is never a reboot.
  if (behind > TIMETICKS_MODULUS / 2) return false;
  const marginTicks = previous.spanMs / 10 + 50 + elapsedTicks * 0.01;
  return behind > marginTicks;
}

/**
 * The increase of a counter between two readings, across one wrap (RFC 2578 §7.1.6), or null
 * when it went back by more than a wrap can explain. A wrap leaves a small increase; a reset the
 * agent did not announce leaves an "increase" of nearly the whole range, so an increase past
 * half the range is taken as a reset. For a 64-bit octet counter a real wrap between two rounds
 * is out of reach; for a 32-bit error counter an increase past 2^31 per round is too.
 */
export function counterDelta(previous: bigint, current: bigint, bits: 32 | 64): bigint | null {
  const modulus = 1n << BigInt(bits);
  if (previous < 0n || current < 0n || previous >= modulus || current >= modulus) return null;
  const delta = current >= previous ? current - previous : current + modulus - previous;
  return delta > modulus / 2n ? null : delta;
}

function rate(
  previous: bigint | null,
  current: bigint | null,
  bits: 32 | 64,
  seconds: number,
  scale = 1,
): number | null {
  if (previous === null || current === null) return null;
  const delta = counterDelta(previous, current, bits);
  if (delta === null) return null;
  return round((Number(delta) * scale) / seconds);
}

/**
 * Rates of one interface between two readings. No rates (and `countersReset`) when there is no
 * previous reading, the agent rebooted, the interface's counters had a discontinuity, or the
 * readings are not apart in time.
 */
export function interfaceRates(
  previous: InterfaceCounters | undefined,
  current: InterfaceCounters,
  elapsedMs: number,
  rebooted: boolean,
): InterfaceRates {
  const discontinuity = previous !== undefined && previous.discontinuity !== current.discontinuity;
  if (previous === undefined || rebooted || discontinuity || !(elapsedMs > 0)) {
    return { ...NO_RATES, countersReset: true };
  }
  const s = elapsedMs / 1000;
  return {
    inBitsPerSecond: rate(previous.inOctets, current.inOctets, 64, s, 8),
    outBitsPerSecond: rate(previous.outOctets, current.outOctets, 64, s, 8),
    inErrorsPerSecond: rate(previous.inErrors, current.inErrors, 32, s),
    outErrorsPerSecond: rate(previous.outErrors, current.outErrors, 32, s),
    inDiscardsPerSecond: rate(previous.inDiscards, current.inDiscards, 32, s),
    outDiscardsPerSecond: rate(previous.outDiscards, current.outDiscards, 32, s),
    countersReset: false,
  };
}

const NO_RATES = {
  inBitsPerSecond: null,
  outBitsPerSecond: null,
  inErrorsPerSecond: null,
  outErrorsPerSecond: null,
  inDiscardsPerSecond: null,
  outDiscardsPerSecond: null,
};

/** Three decimals: rates of a few bits per second stay visible, noise does not. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
