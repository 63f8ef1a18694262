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
