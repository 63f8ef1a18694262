import { performance } from 'node:perf_hooks';
import type { SipResponse } from './message.js';
import type { SipFlow } from './transport.js';

export type TransactionResult =
  | { kind: 'response'; response: SipResponse; ms: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'transport'; reason: string }
  | { kind: 'aborted' };

/** RFC 3261 §17.1.2.2: retransmissions stop doubling at T2 = 4 s. */
const T2_MS = 4000;

/**
 * One non-INVITE client transaction (RFC 3261 §17.1.2): send, retransmit over UDP on Timer E
 * (T1, 2·T1, … capped at T2, also after a provisional response), give up on Timer F = 64·T1.
 * The time is from the first transmission to the final response, so a retransmitted request's
 * time includes the loss it recovered from.
 */
export function runTransaction(
  flow: SipFlow,
  branch: string,
  text: string,
  t1Ms: number,
  signal: AbortSignal,
): Promise<TransactionResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    let interval = t1Ms;
    let retransmit: NodeJS.Timeout | undefined;
    const timerF = setTimeout(() => finish({ kind: 'timeout', ms: elapsed() }), 64 * t1Ms);
    const elapsed = () => round3(performance.now() - started);
    const onAbort = () => finish({ kind: 'aborted' });
    let settled = false;
    const finish = (result: TransactionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timerF);
      clearTimeout(retransmit);
      signal.removeEventListener('abort', onAbort);
      stopWaiting();
      resolve(result);
    };
    const stopWaiting = flow.expect(branch, (response, at) => {
      // 1xx: Proceeding; keep waiting for the final response (§17.1.2.2).
      if (response.code >= 200) finish({ kind: 'response', response, ms: round3(at - started) });
      else interval = T2_MS;
    });
    if (signal.aborted) return finish({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    flow.onFailure((reason) => finish({ kind: 'transport', reason }));
    // Retransmissions are due on a schedule from the first send, so late timers do not add up.
    let due = started;
    const send = () => {
      if (settled) return;
      flow.send(text);
      if (flow.reliable) return;
      due += interval;
      interval = Math.min(interval * 2, T2_MS);
      retransmit = setTimeout(send, Math.max(0, due - performance.now()));
    };
    send();
  });
}

export const round3 = (value: number) => Math.round(value * 1000) / 1000;
