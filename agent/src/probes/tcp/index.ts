import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Probe, ProbeOutcome } from '../probe.js';
import { tcpRules } from '@branchwatch/contract';
import type { TcpOptions } from './options.js';
import { parseHostPort } from './target.js';

/** Reasons by errno, in the words a support agent would use in a ticket. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  EADDRNOTAVAIL: 'address not available',
  ENOTFOUND: 'cannot resolve host',
  EAI_AGAIN: 'cannot resolve host (DNS temporarily unavailable)',
};

const failed = (reason: string): ProbeOutcome<'tcp'> => ({
  status: 'failed',
  reason,
  fields: { connect: null },
});

/**
 * Time to an established TCP connection (SYN to SYN-ACK, as the kernel reports it). A host name
 * is resolved first and outside the measurement, so the figure is the path, not the DNS server.
 */
export const tcpProbe: Probe<TcpOptions, 'tcp'> = {
  type: 'tcp',
  ...tcpRules,
  blankFields: () => ({ connect: null }),
  async run(check, signal) {
    const parsed = parseHostPort(check.target);
    if (typeof parsed === 'string') return failed(parsed);
    let address = parsed.host;
    if (isIP(address) === 0) {
      try {
        address = (await lookup(address)).address;
      } catch (err) {
        return failed(reasonFor(err));
      }
    }
    if (signal.aborted) return failed('aborted');
    return connect(address, parsed.port, signal);
  },
};

function connect(host: string, port: number, signal: AbortSignal): Promise<ProbeOutcome<'tcp'>> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const onAbort = () => finish(failed('aborted'));
    const finish = (outcome: ProbeOutcome<'tcp'>) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    socket.once('connect', () => {
      const ms = Math.round((performance.now() - started) * 1000) / 1000;
      finish({ status: 'ok', fields: { connect: ms } });
    });
    socket.once('error', (err) => finish(failed(reasonFor(err))));
    socket.connect({ host, port });
  });
}

function reasonFor(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? `connect failed: ${(err as Error).message}`;
}
