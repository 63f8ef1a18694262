import { isIP } from 'node:net';
import snmp, { type Session, type Table, type Varbind } from 'net-snmp';
import type { SnmpOptions } from './options.js';

/** The longest timeoutSeconds the config allows (config.ts): requests never give up before it. */
const LONGEST_ROUND_MS = 3600 * 1000;
/** Rows asked for per GetBulk (RFC 3416 §4.2.3 max-repetitions). */
const MAX_REPETITIONS = 20;

/** A round that cannot go on, with the reason the result will carry. */
export class SnmpFailure extends Error {}

/**
 * One SNMP session for one round, bounded by the runner's signal. UDP loses requests, so each
 * one is sent again every `retransmitMs` until an answer comes or the signal aborts; the check's
 * timeoutSeconds is thus the only deadline, and no request gives up on a timer of its own.
 */
export class SnmpSession {
  readonly #session: Session;
  readonly #signal: AbortSignal;
  readonly #onAbort = () => this.#session.close();

  constructor(target: string, options: SnmpOptions, signal: AbortSignal) {
    const common = {
      port: options.port,
      timeout: options.retransmitMs,
      retries: Math.ceil(LONGEST_ROUND_MS / options.retransmitMs),
      transport: isIP(target) === 6 ? ('udp6' as const) : ('udp4' as const),
    };
    this.#session =
      options.version === '3' && options.user
        ? snmp.createV3Session(target, toUser(options.user), common)
        : snmp.createSession(target, options.community, { ...common, version: snmp.Version2c });
    // A socket error also fails the pending requests; the listener only keeps it from throwing.
    this.#session.on('error', () => {});
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  close(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (!this.#signal.aborted) this.#session.close();
  }

  get(oids: string[]): Promise<Varbind[]> {
    return this.#call((done) => this.#session.get(oids, done));
  }

  /** The given columns of a table, rows keyed by index; an absent table is empty. */
  tableColumns(oid: string, columns: number[]): Promise<Table> {
    return this.#call((done) => this.#session.tableColumns(oid, columns, MAX_REPETITIONS, done));
  }

  #call<T>(start: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
    if (this.#signal.aborted) return Promise.reject(aborted());
    return new Promise((resolve, reject) => {
      start((error, value) => {
        if (this.#signal.aborted) reject(aborted());
        else if (error) reject(new SnmpFailure(classify(error)));
        else resolve(value);
      });
    });
  }
}

function aborted(): SnmpFailure {
  return new SnmpFailure('timeout: no answer before the deadline');
}

/** net-snmp's ResponseInvalidCode values that mean the agent refused our credentials. */
const AUTH_CODES = new Set(['EAuthFailure', 'ENotInTimeWindow', 'ECommunityNoMatch']);

/**
 * A failure in the words of a ticket. USM (RFC 3414 §3.2) answers a wrong authentication key or
 * an unknown user with a Report (usmStatsWrongDigests, usmStatsUnknownUserNames): "auth failed".
 * A wrong community, and a wrong privacy key, get no answer at all (RFC 3584 §5.2.1; RFC 3414
 * §3.2 step 8), so they look like an unreachable agent: "timeout".
 */
export function classify(error: Error): string {
  const name = error.name;
  if (name === 'RequestTimedOutError') {
    return 'timeout: no answer (host or port unreachable, wrong community or privacy key)';
  }
  if (name === 'ResponseInvalidError') {
    const code = (error as Error & { code?: number }).code;
    const codeName = code === undefined ? undefined : snmp.ResponseInvalidCode[code];
    if (typeof codeName === 'string' && AUTH_CODES.has(codeName)) {
      return `auth failed: ${error.message}`;
    }
    return `invalid response: ${error.message}`;
  }
  if (name === 'RequestFailedError') return `request refused: ${error.message}`;
  return `unreachable: ${error.message}`;
}

export function toUser(user: NonNullable<SnmpOptions['user']>) {
  return {
    name: user.name,
    level: snmp.SecurityLevel[user.level],
    ...(user.level === 'noAuthNoPriv'
      ? {}
      : { authProtocol: snmp.AuthProtocols[user.authProtocol], authKey: user.authKey }),
    ...(user.level === 'authPriv'
      ? { privProtocol: snmp.PrivProtocols[user.privProtocol], privKey: user.privKey }
      : {}),
  };
}
