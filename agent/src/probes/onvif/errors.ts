import { decodeEntities } from './xml.js';

/**
 * How one call failed, in the probe's terms: `network` (no HTTP answer: refused, reset,
 * unreachable, timed out), `auth` (ter:NotAuthorized, HTTP 401), `fault` (any other SOAP fault)
 * and `invalid` (an answer that is not the SOAP the call expects).
 */
export type CallFailureKind = 'network' | 'auth' | 'fault' | 'invalid';

export class OnvifCallError extends Error {
  constructor(
    readonly kind: CallFailureKind,
    message: string,
    /** The fault's most specific code (last Subcode, else Code), e.g. `ter:NotAuthorized`. */
    readonly faultCode?: string,
  ) {
    super(message);
  }
}

/** Words a support agent would use, by errno. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  EADDRNOTAVAIL: 'address not available',
  ENOTFOUND: 'cannot resolve host',
  EAI_AGAIN: 'cannot resolve host (DNS temporarily unavailable)',
  EPIPE: 'connection closed',
};

export interface SoapFault {
  /** Code/Value then every Subcode/Value, outermost first (SOAP 1.2 Part 1 §5.4.6). */
  codes: string[];
  reason: string;
}

/** The Fault in a SOAP 1.2 answer, or null when there is none. Prefix-agnostic, text only. */
export function parseFault(xml: string | undefined): SoapFault | null {
  if (!xml) return null;
  const fault = /<(?:[\w.-]+:)?Fault[\s>][\s\S]*?<\/(?:[\w.-]+:)?Fault>/.exec(xml)?.[0];
  if (!fault) return null;
  const code = /<(?:[\w.-]+:)?Code[\s>][\s\S]*<\/(?:[\w.-]+:)?Code>/.exec(fault)?.[0] ?? '';
  const codes = [...code.matchAll(/<(?:[\w.-]+:)?Value[^>]*>([^<]*)</g)].map((m) => m[1]!.trim());
  const text = /<(?:[\w.-]+:)?Text[^>]*>([^<]*)</.exec(fault)?.[1];
  // SOAP 1.1 faults (some old cameras) carry faultcode/faultstring instead.
  const code11 = /<faultcode[^>]*>([^<]*)</.exec(fault)?.[1];
  const string11 = /<faultstring[^>]*>([^<]*)</.exec(fault)?.[1];
  return {
    codes: codes.length > 0 ? codes : code11 ? [code11.trim()] : [],
    reason: decodeEntities((text ?? string11 ?? '').trim()),
  };
}

/** ONVIF Core §5.11.2.2: ter:NotAuthorized is the subcode of every authentication failure. */
const isNotAuthorized = (codes: string[]) => codes.some((c) => /(^|:)NotAuthorized$/.test(c));

/** Classifies the (err, xml) a package callback got; null when the call succeeded. */
export function classifyCallError(
  action: string,
  err: Error | null,
  xml: string | undefined,
): OnvifCallError | null {
  const fault = parseFault(xml);
  if (fault) {
    const code = fault.codes.at(-1) ?? 'unknown';
    const why = fault.reason ? ` (${fault.reason.slice(0, 200)})` : '';
    if (isNotAuthorized(fault.codes)) {
      return new OnvifCallError('auth', `${action}: ${code}${why}`, code);
    }
    return new OnvifCallError('fault', `${action}: ${code}${why}`, code);
  }
  if (!err) return null;
  if (err instanceof OnvifCallError) return err;
  const errno = (err as NodeJS.ErrnoException).code;
  if (errno && NETWORK_REASONS[errno]) {
    return new OnvifCallError('network', NETWORK_REASONS[errno]);
  }
  // The package's own words for a reply timeout and for a rejected HTTP digest.
  if (err.message === 'Network timeout') return new OnvifCallError('network', 'no answer in time');
  if (/^Digest authentication failed 401/.test(err.message)) {
    return new OnvifCallError('auth', `${action}: HTTP 401 (digest credentials refused)`);
  }
  if (/^Digest authentication headers not found 401/.test(err.message)) {
    return new OnvifCallError('auth', `${action}: HTTP 401 without a digest challenge`);
  }
  if (errno === 'ECONNABORTED' || err.message === 'socket hang up') {
    return new OnvifCallError('network', 'connection closed before an answer');
  }
  return new OnvifCallError('invalid', `${action}: ${err.message.slice(0, 200)}`);
}
