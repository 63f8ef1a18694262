import { lookup as dnsLookup } from 'node:dns';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** Durations of the phases before the request, ms; null for a phase that did not finish. */
export interface ConnectPhases {
  dns: number | null;
  connect: number | null;
  tls: number | null;
}

export interface TlsSettings {
  verify: boolean;
  servername?: string | undefined;
  /** PEM text of the roots to trust instead of Node's bundled ones. */
  ca?: string | undefined;
}

export type Connection =
  | { ok: true; socket: Socket; phases: ConnectPhases; certDaysLeft: number | null }
  | { ok: false; reason: string; phases: ConnectPhases; certDaysLeft: number | null };

const DAY_MS = 86_400_000;

/** Failure classes by errno of the TCP phase; their names are the first word of a reason. */
const CONNECT_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connect_refused: connection refused',
  ECONNRESET: 'connect_failed: connection reset',
  EHOSTUNREACH: 'connect_failed: host unreachable',
  ENETUNREACH: 'connect_failed: network unreachable',
  ETIMEDOUT: 'connect_failed: connect timed out',
  EADDRNOTAVAIL: 'connect_failed: address not available',
};

export const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Opens the TCP (and TLS) connection of one request and times its phases from socket events.
 * The socket is handed to node:http only once it is up and, with `verify`, trusted: the TLS
 * handshake runs with `rejectUnauthorized: false` so that the certificate's expiry is known even
 * when it fails verification, and this function applies the verdict itself before a single
 * request byte (headers may carry credentials) is written.
 */
export function openConnection(
  url: URL,
  tls: TlsSettings,
  signal: AbortSignal,
): Promise<Connection> {
  const https = url.protocol === 'https:';
  // URL keeps the brackets of an IPv6 literal (RFC 3986 §3.2.2); sockets want the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port) || (https ? 443 : 80);
  const phases: ConnectPhases = { dns: isIP(host) === 0 ? null : 0, connect: null, tls: null };
  let lookupEnded: number | null = null;
  let certDaysLeft: number | null = null;
  const started = performance.now();

  // net skips the lookup for an IP address, hence dns 0 above; for a name this times it.
  const lookup: LookupFunction = (hostname, options, callback) => {
    const begun = performance.now();
    dnsLookup(hostname, options, (err, address, family) => {
      lookupEnded = performance.now();
      if (!err) phases.dns = round3(lookupEnded - begun);
      callback(err, address as string, family);
    });
  };

  return new Promise((resolve) => {
    const socket: Socket = https
      ? tlsConnect({
          host,
          port,
          lookup,
          servername: tls.servername ?? (isIP(host) === 0 ? host : undefined),
          rejectUnauthorized: false,
          ca: tls.ca,
          ALPNProtocols: ['http/1.1'],
        })
      : netConnect({ host, port, lookup });
    let tcpUp: number | null = null;

    const onAbort = () => fail('aborted');
    const settle = (connection: Connection) => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (!connection.ok) socket.destroy();
      // node:http adds its own listener when it takes the socket; until then nothing may throw.
      else socket.on('error', () => {});
      resolve(connection);
    };
    const fail = (reason: string) => settle({ ok: false, reason, phases, certDaysLeft });
    const onError = (err: NodeJS.ErrnoException) => {
      if (tcpUp !== null) return fail(`tls_failed: ${err.code ?? err.message}`);
      if (phases.dns === null && lookupEnded !== null) {
        return fail(`dns_failed: cannot resolve ${host} (${err.code ?? err.message})`);
      }
      fail(CONNECT_REASONS[err.code ?? ''] ?? `connect_failed: ${err.code ?? err.message}`);
    };

    if (signal.aborted) return fail('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', onError);
    socket.once('connect', () => {
      tcpUp = performance.now();
      phases.connect = round3(tcpUp - (lookupEnded ?? started));
      if (!https) settle({ ok: true, socket, phases, certDaysLeft });
    });
    socket.once('secureConnect', () => {
      const secure = socket as TLSSocket;
      phases.tls = round3(performance.now() - (tcpUp ?? started));
      const validTo = secure.getPeerCertificate().valid_to;
      if (validTo)
        certDaysLeft = Math.round(((Date.parse(validTo) - Date.now()) / DAY_MS) * 100) / 100;
      // Node's verdict on the chain and the name (checkServerIdentity): an OpenSSL verify code
      // such as CERT_HAS_EXPIRED or DEPTH_ZERO_SELF_SIGNED_CERT, or ERR_TLS_CERT_ALTNAME_INVALID.
      if (tls.verify && !secure.authorized) {
        return fail(`tls_failed: ${codeOf(secure.authorizationError)}`);
      }
      settle({ ok: true, socket, phases, certDaysLeft });
    });
  });
}

/** `authorizationError` is typed as an Error but Node sets the verify code's string. */
function codeOf(error: unknown): string {
  if (typeof error === 'string') return error;
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code ?? message ?? 'certificate not trusted';
}
