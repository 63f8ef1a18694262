import type { IcmpOptions } from './options.js';
import { excerpt, type ProcessRun } from './process-run.js';
import type { Sample } from './round-stats.js';

/**
 * fping is run once per round in counting mode and its output parsed here. Spawning
 * (process-run.ts) and parsing are separate so that the parser is tested on captured output (lost pings, ICMP errors) that a
 * loopback-only test machine cannot produce for real.
 */

export function fpingArgs(
  target: string,
  options: Pick<IcmpOptions, 'count' | 'periodMs' | 'perPingTimeoutMs'>,
): string[] {
  return [
    '-C',
    String(options.count),
    '-p',
    String(options.periodMs),
    // fping(8), -t: in counting mode the per-ping timeout defaults to the period (-p); pass both.
    '-t',
    String(options.perPingTimeoutMs),
    '-q',
    // Ends the options, so that no target can be read as one (validateTarget refuses "-…" too).
    '--',
    target,
  ];
}

/** A round read from fping's or ping's output: RTTs in send order, or why there are none. */
export type ParsedRound =
  { ok: true; samples: Sample[]; icmpErrors: string[] } | { ok: false; reason: string };

// `127.0.0.1 : 0.03 0.05 - 0.04`; with several targets fping pads the name, hence `\s+:`.
const VCOUNT_LINE = /^(\S+)\s+:((?:\s+(?:-|\d+(?:\.\d+)?))+)\s*$/;
// `ICMP Host Unreachable from 192.0.2.1 for ICMP Echo sent to 192.0.2.99`
const ICMP_ERROR_LINE = /^(ICMP\S*\s.+?\sfrom\s\S+)\s+for\s/;

/** Parses the stderr of `fping -C N -q` for one target. */
export function parseFpingOutput(stderr: string, count: number): ParsedRound {
  const icmpErrors: string[] = [];
  let samples: Sample[] | null = null;
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    const icmp = ICMP_ERROR_LINE.exec(line);
    if (icmp) {
      if (!icmpErrors.includes(icmp[1]!)) icmpErrors.push(icmp[1]!);
      continue;
    }
    const vcount = VCOUNT_LINE.exec(line);
    if (vcount && samples === null) {
      samples = vcount[2]!
        .trim()
        .split(/\s+/)
        .map((token) => (token === '-' ? null : Number(token)));
    }
  }
  if (samples === null) return { ok: false, reason: `unexpected fping output: ${excerpt(stderr)}` };
  if (samples.length !== count) {
    return {
      ok: false,
      reason: `unexpected fping output: ${samples.length} samples for ${count} pings`,
    };
  }
  return { ok: true, samples, icmpErrors };
}

/**
 * Turns a finished fping process into samples or a reason. fping's exit codes (fping(8)):
 * 0 all replied, 1 some target did not reply, 2 an address was not found, 3 invalid arguments,
 * 4 a system call failed.
 */
export function interpretFping(run: ProcessRun, target: string, count: number): ParsedRound {
  if (run.spawnError) {
    // index.ts falls back to ping on ENOENT before this is reached; kept for a direct caller.
    if (run.spawnError.code === 'ENOENT') {
      return { ok: false, reason: 'fping is not installed (not found on PATH)' };
    }
    return { ok: false, reason: `cannot run fping: ${run.spawnError.message}` };
  }
  if (run.signal) return { ok: false, reason: `fping was killed by ${run.signal}` };
  switch (run.code) {
    case 0:
    case 1:
      return parseFpingOutput(run.stderr, count);
    case 2:
      return { ok: false, reason: `cannot resolve "${target}"` };
    case 3:
      return { ok: false, reason: `fping refused its arguments: ${excerpt(run.stderr)}` };
    default:
      return { ok: false, reason: `fping failed (exit ${run.code}): ${excerpt(run.stderr)}` };
  }
}
