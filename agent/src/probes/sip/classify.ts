import type { SipFailure } from '@branchwatch/contract';

export interface Verdict {
  status: 'ok' | 'failed';
  failure: SipFailure | null;
  /** Set when failed: what a support agent reads in the ticket. */
  reason?: string;
}

export interface VerdictContext {
  /** Whether the deciding request carried credentials (then 401/403 means they are wrong). */
  credentialsSent: boolean;
  maintenanceOn503: boolean;
  okCodes: readonly number[];
}

/** Classifies a final response by RFC 3261 §21's classes and the check's own rules. */
export function classifyResponse(code: number, phrase: string, ctx: VerdictContext): Verdict {
  const said = `${code} ${phrase}`.trim();
  if ((code >= 200 && code < 300) || ctx.okCodes.includes(code)) {
    return { status: 'ok', failure: null };
  }
  // RFC 3261 §22.2/§22.3: a fresh challenge for a request that carried credentials, or a 403,
  // means they were refused (a stale nonce is retried before getting here).
  if (ctx.credentialsSent && (code === 401 || code === 407 || code === 403)) {
    return { status: 'failed', failure: 'auth_failed', reason: `authentication failed: ${said}` };
  }
  if (code === 503 && ctx.maintenanceOn503) {
    return { status: 'failed', failure: 'maintenance', reason: `${said} (maintenance)` };
  }
  if (code < 400) {
    // A 3xx to OPTIONS or REGISTER points elsewhere; the probe measures this server, so no follow.
    return { status: 'failed', failure: 'client_error', reason: `${said} (redirect not followed)` };
  }
  const failure: SipFailure =
    code >= 600 ? 'global_error' : code >= 500 ? 'server_error' : 'client_error';
  return { status: 'failed', failure, reason: said };
}
