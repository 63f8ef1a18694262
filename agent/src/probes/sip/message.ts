import { randomBytes } from 'node:crypto';

/** A SIP response as the probe needs it: status line and headers by lower-case long name. */
export interface SipResponse {
  code: number;
  phrase: string;
  headers: Map<string, string[]>;
}

export interface RequestSpec {
  method: 'OPTIONS' | 'REGISTER';
  uri: string;
  /** Via sent-by: the transport in upper case, the local address and port. */
  via: { proto: 'UDP' | 'TCP'; host: string; port: number; branch: string };
  from: string;
  fromTag: string;
  to: string;
  callId: string;
  cseq: number;
  /** Extra header lines, already formatted (`Contact: <…>`). */
  extra?: string[];
}

/** RFC 3261 §7.3.3 compact forms of the headers the probe reads. */
const COMPACT: Record<string, string> = {
  v: 'via',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  f: 'from',
  t: 'to',
};

/** RFC 3261 §8.1.1.7: branch IDs start with the magic cookie z9hG4bK. */
export const newBranch = () => `z9hG4bK${randomBytes(8).toString('hex')}`;
export const newToken = () => randomBytes(8).toString('hex');

/**
 * Formats a request with the headers RFC 3261 §8.1.1 requires. `rport` (RFC 3581) asks the server
 * to answer to the address and port the request came from, whatever the Via says, so the probe
 * works behind NAT.
 */
export function formatRequest(spec: RequestSpec): string {
  const { via } = spec;
  const lines = [
    `${spec.method} ${spec.uri} SIP/2.0`,
    `Via: SIP/2.0/${via.proto} ${via.host}:${via.port};branch=${via.branch};rport`,
    'Max-Forwards: 70',
    `From: <${spec.from}>;tag=${spec.fromTag}`,
    `To: <${spec.to}>`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} ${spec.method}`,
    ...(spec.extra ?? []),
    'User-Agent: Branchwatch',
    // RFC 3261 §18.3: mandatory on stream transports; harmless on UDP.
    'Content-Length: 0',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Parses one SIP message's head; returns null for requests and for anything that is not SIP. */
export function parseResponse(head: string): SipResponse | null {
  // RFC 3261 §7.3.1: header lines may be folded; unfold before splitting.
  const lines = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const status = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/.exec(lines[0] ?? '');
  if (!status) return null;
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    const list = headers.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(name, list);
  }
  return { code: Number(status[1]), phrase: status[2]!.trim(), headers };
}

export function header(response: SipResponse, name: string): string | undefined {
  return response.headers.get(name)?.[0];
}

/** The branch parameter of the top Via: what ties a response to its transaction (§17.1.3). */
export function topBranch(response: SipResponse): string | undefined {
  const via = header(response, 'via');
  return via ? /;\s*branch=([^;,\s]+)/i.exec(via)?.[1] : undefined;
}

/**
 * Splits a header value at commas that separate values (RFC 3261 §7.3.1), not those inside a
 * quoted string or a <URI>.
 */
export function splitValues(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\') {
      current += c + (value[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') angled = true;
    else if (!quoted && c === '>') angled = false;
    if (c === ',' && !quoted && !angled) {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Every Contact value of a response (several header lines, several values per line). */
export function contacts(response: SipResponse): { uri: string; expires: number | null }[] {
  const values = (response.headers.get('contact') ?? []).flatMap(splitValues);
  return values.map((value) => {
    const angled = /<([^>]*)>(.*)$/.exec(value);
    const uri = angled ? angled[1]! : value.split(';')[0]!.trim();
    const params = angled ? angled[2]! : value.slice(uri.length);
    const expires = /;\s*expires\s*=\s*(\d+)/i.exec(params)?.[1];
    return { uri, expires: expires === undefined ? null : Number(expires) };
  });
}
