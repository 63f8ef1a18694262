import type { ParsedRound } from './fping.js';
import type { IcmpOptions } from './options.js';
import { excerpt, type ProcessRun } from './process-run.js';
import type { Sample } from './round-stats.js';

/**
 * The fallback when fping is not installed: iputils `ping`, one process per round, its output
 * parsed here into the same samples as fping's. Tested on captured output like fping.ts.
 *
 * Differences from fping that the parser makes up for (see README.md):
 * - ping has no per-ping timeout: it counts a reply whenever it comes. A reply slower than
 *   `perPingTimeoutMs` is counted as lost here, as fping would.
 * - `-W` only bounds the wait after the last ping when nothing at all came back; otherwise ping
 *   lingers max(2 × slowest RTT so far, interval) after the last ping, so a last reply slower than
 *   that is lost to ping even when it was inside `perPingTimeoutMs`.
 */

export function pingArgs(
  target: string,
  options: Pick<IcmpOptions, 'count' | 'perPingTimeoutMs'>,
  intervalMs: number,
): string[] {
  return [
    '-n',
    '-c',
    String(options.count),
    '-i',
    seconds(intervalMs),
    // The explicit per-ping timeout: ping's default would wait 10 s for a silent target.
    '-W',
    seconds(options.perPingTimeoutMs),
    '--',
    target,
  ];
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

// `64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.031 ms`, possibly followed by ` (DUP!)`.
const REPLY_LINE = /^\d+ bytes from \S+?: icmp_seq=(\d+)\b.*?\btime[=<]\s*(\d+(?:\.\d+)?) ms(.*)$/;
// `From 192.0.2.1 icmp_seq=1 Destination Host Unreachable`
const ERROR_LINE = /^From (\S+?):? icmp_seq=\d+ (.+)$/;
// `5 packets transmitted, 4 received, 20% packet loss, time 4005ms`
const SUMMARY_LINE = /^(\d+) packets transmitted, (\d+) received/;

/**
 * Parses the stdout of `ping -n -c COUNT …` into `count` samples in send order: icmp_seq N is
 * ping N, a missing seq is a lost ping, a duplicate reply is ignored, and a reply slower than
 * `perPingTimeoutMs` is lost (fping's -t semantics).
 */
export function parsePingOutput(
  stdout: string,
  count: number,
  perPingTimeoutMs: number,
): ParsedRound {
  const samples: Sample[] = Array.from({ length: count }, () => null);
  const icmpErrors: string[] = [];
  let transmitted: number | null = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    const reply = REPLY_LINE.exec(line);
    if (reply) {
      const seq = Number(reply[1]);
      const rtt = Number(reply[2]);
      if (reply[3]!.includes('DUP!') || seq < 1 || seq > count) continue;
      if (samples[seq - 1] === null && rtt <= perPingTimeoutMs) samples[seq - 1] = rtt;
      continue;
    }
    const error = ERROR_LINE.exec(line);
    if (error) {
      const text = `${error[2]!.trim()} from ${error[1]}`;
      if (!icmpErrors.includes(text)) icmpErrors.push(text);
      continue;
    }
    const summary = SUMMARY_LINE.exec(line);
    if (summary) transmitted = Number(summary[1]);
  }
  if (transmitted === null) {
    return { ok: false, reason: `unexpected ping output: ${excerpt(stdout)}` };
  }
  if (transmitted !== count) {
    return {
      ok: false,
      reason: `unexpected ping output: ${transmitted} of ${count} pings sent`,
    };
  }
  return { ok: true, samples, icmpErrors };
}

/** ping's answer when the interval is below what this user may use: retry with `minIntervalMs`. */
export interface IntervalRefused {
  ok: false;
  reason: string;
  minIntervalMs: number;
}

// iputils: `ping: cannot flood; minimal interval allowed for user is 200ms` (2ms since 2021).
const INTERVAL_REFUSED = /minimal interval allowed for user is (\d+(?:\.\d+)?)\s*ms/;
const RESOLVE_FAILED =
  /Name or service not known|Temporary failure in name resolution|No address associated|unknown host/i;

/**
 * Turns a finished ping process into samples or a reason. iputils ping's exit codes (ping(8)):
 * 0 at least one reply, 1 no reply at all, 2 any other error (bad arguments, unresolvable name).
 */
export function interpretPing(
  run: ProcessRun,
  target: string,
  options: Pick<IcmpOptions, 'count' | 'perPingTimeoutMs'>,
): ParsedRound | IntervalRefused {
  if (run.spawnError) {
    if (run.spawnError.code === 'ENOENT') {
      return { ok: false, reason: 'neither fping nor ping is installed (not found on PATH)' };
    }
    return { ok: false, reason: `cannot run ping: ${run.spawnError.message}` };
  }
  if (run.signal) return { ok: false, reason: `ping was killed by ${run.signal}` };
  if (run.code === 0 || run.code === 1) {
    return parsePingOutput(run.stdout, options.count, options.perPingTimeoutMs);
  }
  const refused = INTERVAL_REFUSED.exec(run.stderr);
  if (refused) {
    return {
      ok: false,
      reason: `ping refused its interval: ${excerpt(run.stderr)}`,
      minIntervalMs: Math.ceil(Number(refused[1])),
    };
  }
  if (RESOLVE_FAILED.test(run.stderr)) return { ok: false, reason: `cannot resolve "${target}"` };
  return { ok: false, reason: `ping failed (exit ${run.code}): ${excerpt(run.stderr)}` };
}
