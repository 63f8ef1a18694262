import type { IcmpOptions } from './options.js';
import { excerpt, type ProcessRun } from './process-run.js';
import type { Sample } from './round-stats.js';

/**
 * fping runs in counting mode, one process for the rounds of several checks that start
 * together (fping-pool.ts), and its output is parsed here. Spawning (process-run.ts) and parsing
 * are separate so that the parser is tested on captured output (lost pings, ICMP errors) that a
 * loopback-only test machine cannot produce for real.
 */

export type FpingTiming = Pick<IcmpOptions, 'count' | 'periodMs' | 'perPingTimeoutMs'>;

/**
 * Arguments for one fping round to `targets`. fping pings each target every `-p` ms and leaves
 * at least `-i` ms between two pings of the whole run (to any target), so target k's pings go
 * out k × interval ms after the first target's (fping-pool.ts keeps k × interval well within
 * the period).
 */
export function fpingArgs(
  targets: readonly string[],
  options: FpingTiming,
  intervalMs: number,
): string[] {
  return [
    '-C',
    String(options.count),
    '-p',
    String(options.periodMs),
    // fping's per-ping timeout defaults to the period: always pass -t with -p (README.md).
    '-t',
    String(options.perPingTimeoutMs),
    '-i',
    String(intervalMs),
    '-q',
    // Ends the options, so that no target can be read as one (validateTarget refuses "-…" too).
    '--',
    ...targets,
  ];
}

/** A round read from fping's or ping's output: RTTs in send order, or why there are none. */
export type ParsedRound =
  { ok: true; samples: Sample[]; icmpErrors: string[] } | { ok: false; reason: string };

// `127.0.0.1 : 0.03 0.05 - 0.04`; fping pads every name to the longest one, hence `\s+:`.
const VCOUNT_LINE = /^(\S+)\s+:((?:\s+(?:-|\d+(?:\.\d+)?))+)\s*$/;
// `ICMP Host Unreachable from 192.0.2.1 for ICMP Echo sent to 192.0.2.99`; a host name is
// followed by its address: `… sent to gw.example (192.0.2.99)`.
const ICMP_ERROR_LINE = /^(ICMP\S*\s.+?\sfrom\s\S+)\s+for\s+ICMP Echo sent to\s+(\S+)/;

interface TargetLine {
  name: string;
  samples: Sample[];
}

/**
 * Parses the stderr of `fping -C N -q T1 T2 …`: one result per target, in the order given.
 * fping prints one line per target in that order, under the name as given, and none for a
 * name it could not resolve (then it exits 2), so the lines are matched to the targets in
 * order; a target given twice gets its own line each time.
 */
export function parseFpingOutput(
  stderr: string,
  targets: readonly string[],
  count: number,
  unresolved = false,
): ParsedRound[] {
  const lines: TargetLine[] = [];
  const errors = new Map<string, string[]>();
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    const icmp = ICMP_ERROR_LINE.exec(line);
    if (icmp) {
      const seen = errors.get(icmp[2]!) ?? [];
      if (!seen.includes(icmp[1]!)) seen.push(icmp[1]!);
      errors.set(icmp[2]!, seen);
      continue;
    }
    const vcount = VCOUNT_LINE.exec(line);
    if (vcount) {
      const samples = vcount[2]!
        .trim()
        .split(/\s+/)
        .map((token) => (token === '-' ? null : Number(token)));
      lines.push({ name: vcount[1]!, samples });
    }
  }
  let next = 0;
  return targets.map((target): ParsedRound => {
    const line = lines[next]?.name === target ? lines[next++] : undefined;
    if (!line) {
      return unresolved
        ? { ok: false, reason: `cannot resolve "${target}"` }
        : { ok: false, reason: `unexpected fping output: ${excerpt(stderr)}` };
    }
    if (line.samples.length !== count) {
      return {
        ok: false,
        reason: `unexpected fping output: ${line.samples.length} samples for ${count} pings`,
      };
    }
    return { ok: true, samples: line.samples, icmpErrors: errors.get(target) ?? [] };
  });
}

/**
 * Turns a finished fping process into one result per target. fping's exit codes (fping(8)):
 * 0 all replied, 1 some target did not reply, 2 an address was not found, 3 invalid arguments,
 * 4 a system call failed.
 */
export function interpretFping(
  run: ProcessRun,
  targets: readonly string[],
  count: number,
): ParsedRound[] {
  const all = (reason: string) => targets.map((): ParsedRound => ({ ok: false, reason }));
  if (run.spawnError) {
    // index.ts falls back to ping on ENOENT before this is reached; kept for a direct caller.
    if (run.spawnError.code === 'ENOENT') return all('fping is not installed (not found on PATH)');
    return all(`cannot run fping: ${run.spawnError.message}`);
  }
  if (run.signal) return all(`fping was killed by ${run.signal}`);
  switch (run.code) {
    case 0:
    case 1:
    case 2:
      return parseFpingOutput(run.stderr, targets, count, run.code === 2);
    case 3:
      return all(`fping refused its arguments: ${excerpt(run.stderr)}`);
    default:
      return all(`fping failed (exit ${run.code}): ${excerpt(run.stderr)}`);
  }
}
