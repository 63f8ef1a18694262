import { Resolver } from 'node:dns/promises';
import { dnsRules } from '@branchwatch/contract';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Probe, ProbeOutcome } from '../probe.js';
import { QUERIES, reportable, unexpected } from './answers.js';
import { parseServer, type DnsOptions } from './options.js';

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Failure classes by c-ares status. The first group are replies from the server, so the
 * resolve time is known; the others mean no reply came.
 */
const REPLIED: Record<string, (name: string, type: string) => string> = {
  ENOTFOUND: (name) => `nxdomain: ${name} does not exist`,
  ENODATA: (name, type) => `no_answer: ${name} has no ${type} records`,
  ESERVFAIL: (name) => `servfail: the server failed to resolve ${name}`,
  EREFUSED: (name) => `refused: the server refused to resolve ${name}`,
};

/** One DNS query against one server per round, timed from query to reply. See README.md. */
export const dnsProbe: Probe<DnsOptions, 'dns'> = {
  type: 'dns',
  ...dnsRules,
  blankFields: () => ({ resolveMs: null, answers: null }),
  async run(check, signal) {
    const options = check.options;
    const server = options.server === undefined ? undefined : parseServer(options.server);
    const via = server ? server.address : 'the system resolvers';
    // A fresh resolver per round: no state carries over, and cancel() stops only this query.
    const resolver = new Resolver({ timeout: options.attemptTimeoutMs, tries: options.attempts });
    if (server) resolver.setServers([server.address]);
    const type = options.recordType;
    const cancel = () => resolver.cancel();
    if (signal.aborted) return failed('aborted', null);
    signal.addEventListener('abort', cancel, { once: true });
    const started = performance.now();
    try {
      const answers =
        type === 'PTR' && isIP(check.target) !== 0
          ? await resolver.reverse(check.target)
          : await QUERIES[type](resolver, check.target);
      const fields = { resolveMs: round3(performance.now() - started), answers: answers.length };
      const shown = reportable(answers);
      const wrong = unexpected(answers, options.expect);
      if (wrong) return { status: 'failed', reason: wrong.slice(0, 500), fields, answers: shown };
      if (answers.length === 0)
        return failed(`no_answer: ${check.target} has no ${type} records`, fields);
      return { status: 'ok', fields, answers: shown };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      const replied = REPLIED[code];
      if (replied) {
        const fields = { resolveMs: round3(performance.now() - started), answers: 0 };
        return failed(replied(check.target, type), fields);
      }
      if (code === 'ECANCELLED') return failed('aborted', null);
      if (code === 'ETIMEOUT') {
        return failed(`timeout: no reply from ${via} after ${options.attempts} attempts`, null);
      }
      // On a LAN or loopback a closed port answers with ICMP port unreachable at once.
      if (code === 'ECONNREFUSED')
        return failed(`unreachable: no DNS server answers at ${via}`, null);
      return failed(`dns_error: ${code || (err as Error).message}`, null);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  },
};

function failed(
  reason: string,
  fields: { resolveMs: number | null; answers: number | null } | null,
): ProbeOutcome<'dns'> {
  return {
    status: 'failed',
    reason: reason.slice(0, 500),
    fields: fields ?? { resolveMs: null, answers: null },
  };
}
