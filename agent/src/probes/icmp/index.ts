import { icmpRules } from '@branchwatch/contract';
import { createLogger, type Logger } from '../../log.js';
import type { Probe, ProbeCheck } from '../probe.js';
import type { ParsedRound } from './fping.js';
import { FpingPool } from './fping-pool.js';
import type { IcmpOptions } from './options.js';
import { interpretPing, pingArgs } from './ping.js';
import { runProcess } from './process-run.js';
import { roundStats } from './round-stats.js';

export interface IcmpProbeSettings {
  /** The fping binary; a bare name is looked up on PATH. */
  fping?: string;
  /** The iputils ping binary, used when fping is not installed; a bare name is looked up on PATH. */
  ping?: string;
  /**
   * Where the one-time fallback warnings go. The probe interface carries no logger, so the
   * registry's probe writes JSON lines to stderr like the agent's own logger.
   */
  log?: Logger;
}

/** ICMP echo rounds through fping (or iputils ping without it), IPv4 and IPv6 alike. See README.md. */
export function createIcmpProbe(settings: IcmpProbeSettings = {}): Probe<IcmpOptions, 'icmp'> {
  const measure = roundMeasurer(settings);
  return {
    type: 'icmp',
    ...icmpRules,
    // Rounds that start together share one fping (fping-pool.ts): start them on a common grid.
    sharedRounds: { alignMs: 2000 },
    // Nothing is known to have been sent when fping could not run or report: sent 0, loss 100.
    blankFields: () => roundStats([]),
    async run(check, signal) {
      const parsed = await measure(check, signal);
      if (!parsed.ok) {
        return { status: 'failed', reason: parsed.reason, fields: this.blankFields(check.options) };
      }
      // The discarded first ping stays in `samples` (honest about what was sent and seen) but
      // not in the fields: README.md, "Discarding the first ping".
      const counted = check.options.discardFirst ? parsed.samples.slice(1) : parsed.samples;
      const fields = roundStats(counted);
      if (fields.received > 0) return { status: 'ok', fields, samples: parsed.samples };
      // A partly lossy round is ok with its loss; thresholds belong to the hub's alert rules.
      const why = parsed.icmpErrors[0] ? ` (${parsed.icmpErrors[0]})` : '';
      return {
        status: 'failed',
        reason: `no reply to ${fields.sent} pings${why}`,
        fields,
        samples: parsed.samples,
      };
    },
  };
}

type Measure = (check: ProbeCheck<IcmpOptions>, signal: AbortSignal) => Promise<ParsedRound>;

/**
 * One round with fping (shared with the other rounds that start together: fping-pool.ts), or
 * with ping once fping turned out to be missing. What it learns (fping is missing, ping needs a
 * longer interval) it keeps for the life of the probe and warns about once: a restart picks up
 * a newly installed fping.
 */
function roundMeasurer(settings: IcmpProbeSettings): Measure {
  const fping = new FpingPool({ fping: settings.fping ?? 'fping' });
  const ping = settings.ping ?? 'ping';
  const log = settings.log ?? createLogger().child({ component: 'icmp' });
  let fpingMissing = false;
  let pingMinIntervalMs = 0;

  const withPing: Measure = async ({ target, options }, signal) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const intervalMs = Math.max(options.periodMs, pingMinIntervalMs);
      const run = await runProcess(ping, pingArgs(target, options, intervalMs), signal);
      const parsed = interpretPing(run, target, options);
      if (parsed.ok || !('minIntervalMs' in parsed) || intervalMs >= parsed.minIntervalMs) {
        return parsed;
      }
      // Rounds run concurrently: another one may have learnt the minimum already.
      if (pingMinIntervalMs >= parsed.minIntervalMs) continue;
      pingMinIntervalMs = parsed.minIntervalMs;
      log.warn(
        `ping refuses intervals below ${pingMinIntervalMs} ms for this user: icmp rounds use ` +
          `${pingMinIntervalMs} ms between pings where periodMs is shorter, and may then outlast ` +
          'their timeoutSeconds; install fping to keep periodMs',
        { ping, periodMs: options.periodMs },
      );
    }
    return { ok: false, reason: 'ping refused its interval twice' };
  };

  return async (check, signal) => {
    if (!fpingMissing) {
      const outcome = await fping.measure(check.target, check.options, signal);
      if (!('missing' in outcome)) return outcome;
      // Rounds run concurrently: warn only in the first that found fping missing.
      if (!fpingMissing) {
        fpingMissing = true;
        log.warn('fping is not installed (not found on PATH): icmp rounds fall back to ping', {
          fping: settings.fping ?? 'fping',
          ping,
        });
      }
    }
    return withPing(check, signal);
  };
}

export const icmpProbe = createIcmpProbe();
