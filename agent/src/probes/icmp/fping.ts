import { spawn } from 'node:child_process';
import type { IcmpOptions } from './options.js';
import type { Sample } from './round-stats.js';

/**
 * fping is run once per round in counting mode and its output parsed here. Spawning and parsing
 * are separate so that the parser is tested on captured output (lost pings, ICMP errors) that a
 * loopback-only test machine cannot produce for real.
 */

export function fpingArgs(target: string, options: IcmpOptions): string[] {
  return [
    '-C',
    String(options.count),
    '-p',
    String(options.periodMs),
    // FACTS.md: fping's per-ping timeout defaults to the period; always pass -t with -p.
    '-t',
    String(options.perPingTimeoutMs),
    '-q',
    // Ends the options, so that no target can be read as one (validateTarget refuses "-…" too).
    '--',
    target,
  ];
}

/** What one fping process left behind. */
export interface FpingRun {
  /** Exit code, or null when it was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Set when the process could not be started at all (ENOENT: fping is not installed). */
  spawnError?: NodeJS.ErrnoException;
}

export type ParsedFping =
  { ok: true; samples: Sample[]; icmpErrors: string[] } | { ok: false; reason: string };

// `127.0.0.1 : 0.03 0.05 - 0.04`; with several targets fping pads the name, hence `\s+:`.
const VCOUNT_LINE = /^(\S+)\s+:((?:\s+(?:-|\d+(?:\.\d+)?))+)\s*$/;
// `ICMP Host Unreachable from 192.0.2.1 for ICMP Echo sent to 192.0.2.99`
const ICMP_ERROR_LINE = /^(ICMP\S*\s.+?\sfrom\s\S+)\s+for\s/;

/** Parses the stderr of `fping -C N -q` for one target. */
export function parseFpingOutput(stderr: string, count: number): ParsedFping {
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
export function interpretFping(run: FpingRun, target: string, count: number): ParsedFping {
  if (run.spawnError) {
    if (run.spawnError.code === 'ENOENT') {
      // A fallback to iputils ping is a later issue; until then the round says what is missing.
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

/** Runs fping to completion; aborting `signal` kills it (the result is then of no interest). */
export function spawnFping(
  command: string,
  args: readonly string[],
  signal: AbortSignal,
): Promise<FpingRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // fping prints a few lines per target; a bound keeps a misbehaving binary harmless.
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    let settled = false;
    const settle = (run: FpingRun) => {
      if (settled) return;
      settled = true;
      resolve(run);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      // An abort also arrives here (AbortError); the close event that follows reports the kill.
      if (err.name !== 'AbortError') settle({ code: null, signal: null, stderr, spawnError: err });
    });
    child.on('close', (code, killedBy) => settle({ code, signal: killedBy, stderr }));
  });
}

function excerpt(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  if (flat === '') return '(nothing)';
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
