import type { ProbeResult, ResultsBatch } from '@branchwatch/contract';

/** A TCP result at `at`, ok or refused. */
export function tcpResult(check: string, at: Date, ok: boolean): ProbeResult {
  return ok
    ? {
        check,
        type: 'tcp',
        target: '127.0.0.1:9',
        at: at.toISOString(),
        status: 'ok',
        fields: { connect: 0.3 },
      }
    : {
        check,
        type: 'tcp',
        target: '127.0.0.1:9',
        at: at.toISOString(),
        status: 'failed',
        reason: 'connection refused',
        fields: { connect: null },
      };
}

export function batch(
  agent: string,
  seq: number,
  results: ProbeResult[],
  replayed = false,
): ResultsBatch {
  return { v: 1, agent, seq, sentAt: new Date().toISOString(), replayed, results };
}

// ── Alerts scenarios (hub/src/alerts/scenarios) ──────────────────────────────────────────

/**
 * An ICMP round of 10 echo requests at `at` with `loss` % lost and the given median RTT (ms).
 * All lost is a failed round; anything else is ok as far as the probe goes (thresholds may
 * still call it bad).
 */
export function icmpResult(
  check: string,
  at: Date,
  loss: number,
  median = 20,
  target = '192.0.2.1',
): ProbeResult {
  const received = Math.round(10 * (1 - loss / 100));
  const rtt = received > 0 ? median : null;
  return {
    check,
    type: 'icmp',
    target,
    at: at.toISOString(),
    status: received > 0 ? 'ok' : 'failed',
    ...(received > 0 ? {} : { reason: 'no echo reply' }),
    fields: {
      sent: 10,
      received,
      loss,
      min: rtt,
      median: rtt,
      p95: rtt,
      max: rtt,
      jitter: rtt && 1,
    },
  };
}

/** An agent's status payload: `online` as it connects, `offline` as its last will. */
export function agentStatusPayload(agent: string, state: 'online' | 'offline'): string {
  return JSON.stringify({ v: 1, agent, state, at: new Date().toISOString() });
}
