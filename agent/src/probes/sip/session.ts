import { formatRequest, newBranch, newToken } from './message.js';
import { uriHost } from './target.js';
import { runTransaction, type TransactionResult } from './transaction.js';
import type { SipFlow } from './transport.js';

export interface SessionSpec {
  flow: SipFlow;
  /** Request-URI: the server for OPTIONS, the domain for REGISTER (RFC 3261 §10.2). */
  requestUri: string;
  /** Address of record, in From and To. */
  aor: string;
  t1Ms: number;
  signal: AbortSignal;
}

/**
 * Requests that belong together: one Call-ID and From tag, CSeq counting up, as RFC 3261 §10.2
 * asks of a UA's REGISTERs to one registrar (and harmless for OPTIONS).
 */
export class SipSession {
  readonly callId = `${newToken()}@branchwatch`;
  private readonly fromTag = newToken();
  private cseq = 0;

  constructor(private readonly spec: SessionSpec) {}

  get flow(): SipFlow {
    return this.spec.flow;
  }

  get requestUri(): string {
    return this.spec.requestUri;
  }

  /** Our own address as a SIP URI, for Contact. */
  contactUri(user: string): string {
    const { local, proto } = this.spec.flow;
    const param = proto === 'TCP' ? ';transport=tcp' : '';
    return `sip:${user}@${uriHost(local.address)}:${local.port}${param}`;
  }

  /** Runs one transaction of this session, with retransmissions on UDP. */
  send(method: 'OPTIONS' | 'REGISTER', extra: string[] = []): Promise<TransactionResult> {
    const { branch, text } = this.format(method, extra);
    return runTransaction(this.spec.flow, branch, text, this.spec.t1Ms, this.spec.signal);
  }

  /** The next request of this session, for callers that send it themselves. */
  format(method: 'OPTIONS' | 'REGISTER', extra: string[] = []): { branch: string; text: string } {
    const { flow, requestUri, aor } = this.spec;
    const branch = newBranch();
    const text = formatRequest({
      method,
      uri: requestUri,
      via: { proto: flow.proto, host: uriHost(flow.local.address), port: flow.local.port, branch },
      from: aor,
      fromTag: this.fromTag,
      to: aor,
      callId: this.callId,
      cseq: ++this.cseq,
      extra,
    });
    return { branch, text };
  }
}
