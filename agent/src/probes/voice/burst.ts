import { performance } from 'node:perf_hooks';
import { SipSession } from '../sip/session.js';
import { round3 } from '../sip/transaction.js';
import type { SipFlow } from '../sip/transport.js';

export interface BurstSpec {
  flow: SipFlow;
  requestUri: string;
  count: number;
  intervalMs: number;
  replyTimeoutMs: number;
  signal: AbortSignal;
}

export interface BurstRun {
  /** RTT per probe packet in send order, ms; null when no reply came in time. */
  samples: (number | null)[];
  /** Set when the path failed (port unreachable, …); the burst stops there. */
  failure: string | null;
}

/**
 * Sends `count` SIP OPTIONS, one every `intervalMs`, each its own transaction and never
 * retransmitted, since a retransmission would hide the loss being measured. Any response counts:
 * the packet went to the PBX and back, whatever the PBX thinks of OPTIONS. Send times are kept on
 * a fixed grid from the start, so one late timer does not shift the rest of the burst.
 */
export function runBurst(spec: BurstSpec): Promise<BurstRun> {
  const { flow, count, intervalMs, replyTimeoutMs, signal } = spec;
  const session = new SipSession({
    flow,
    requestUri: spec.requestUri,
    aor: 'sip:branchwatch@invalid',
    t1Ms: 500,
    signal,
  });
  return new Promise((resolve) => {
    const samples: (number | null)[] = new Array<number | null>(count).fill(null);
    const releases: (() => void)[] = [];
    const timers: NodeJS.Timeout[] = [];
    let failure: string | null = null;
    let sent = 0;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      releases.forEach((release) => release());
      signal.removeEventListener('abort', finish);
      resolve({ samples: samples.slice(0, sent), failure });
    };
    signal.addEventListener('abort', finish, { once: true });
    flow.onFailure((reason) => {
      failure = reason;
      finish();
    });
    const start = performance.now();
    const sendOne = (i: number) => {
      if (settled) return;
      const { branch, text } = session.format('OPTIONS');
      const sentAt = performance.now();
      releases.push(
        flow.expect(branch, (_response, at) => {
          const rtt = at - sentAt;
          if (samples[i] === null && rtt <= replyTimeoutMs) samples[i] = round3(rtt);
        }),
      );
      flow.send(text);
      sent++;
      if (i + 1 < count) {
        const due = start + (i + 1) * intervalMs - performance.now();
        timers.push(setTimeout(() => sendOne(i + 1), Math.max(0, due)));
      } else {
        timers.push(setTimeout(finish, replyTimeoutMs));
      }
    };
    if (signal.aborted) finish();
    else sendOne(0);
  });
}
