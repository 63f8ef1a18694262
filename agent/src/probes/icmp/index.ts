import { isIP } from 'node:net';
import type { Probe } from '../probe.js';
import { fpingArgs, interpretFping, spawnFping } from './fping.js';
import { icmpOptions, type IcmpOptions } from './options.js';
import { roundStats } from './round-stats.js';

// RFC 1123 §2.1 host names: letters, digits and hyphens in dot-separated labels.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

export interface IcmpProbeSettings {
  /** The fping binary; a bare name is looked up on PATH. */
  fping?: string;
}

/** ICMP echo rounds through fping, IPv4 and IPv6 alike. See README.md. */
export function createIcmpProbe(settings: IcmpProbeSettings = {}): Probe<IcmpOptions, 'icmp'> {
  const command = settings.fping ?? 'fping';
  return {
    type: 'icmp',
    options: icmpOptions,
    validateTarget: (target) =>
      isIP(target) !== 0 || HOST_NAME.test(target)
        ? null
        : 'expected an IPv4 or IPv6 address or a host name',
    // The last ping leaves after (count - 1) periods and may wait a full per-ping timeout.
    roundMs: (o) => (o.count - 1) * o.periodMs + o.perPingTimeoutMs,
    // Nothing is known to have been sent when fping could not run or report: sent 0, loss 100.
    blankFields: () => roundStats([]),
    async run(check, signal) {
      const { count } = check.options;
      const run = await spawnFping(command, fpingArgs(check.target, check.options), signal);
      const parsed = interpretFping(run, check.target, count);
      if (!parsed.ok) {
        return { status: 'failed', reason: parsed.reason, fields: this.blankFields(check.options) };
      }
      const fields = roundStats(parsed.samples);
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

export const icmpProbe = createIcmpProbe();
