import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface SnapshotRequest {
  uri: string;
  username?: string | undefined;
  password?: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  signal: AbortSignal;
}

export type SnapshotOutcome =
  | { ok: true; bytes: number; ms: number }
  | { ok: false; authFailed: boolean; reason: string; ms: number | null };

/** T.81 Annex B: a JPEG starts with SOI (FFD8) and ends with EOI (FFD9). */
export function isJpeg(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return (
    n >= 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes[n - 2] === 0xff &&
    bytes[n - 1] === 0xd9
  );
}

/**
 * Fetches the snapshot URI (ONVIF Media §5.15.2: a plain HTTP GET that returns a JPEG) and times
 * it, authentication round trips included. When the camera asks (401), it answers the
 * challenge once: HTTP digest (RFC 7616; ONVIF Core §5.9.1 requires it of devices) or Basic
 * (RFC 7617). Never throws for a failing camera.
 */
export async function fetchSnapshot(req: SnapshotRequest): Promise<SnapshotOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
  const signal = AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]);
  try {
    const url = new URL(req.uri);
    // Some cameras put credentials in the URI (RFC 3986 userinfo); fetch refuses those.
    if (url.username && req.username === undefined) {
      req = {
        ...req,
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      };
    }
    url.username = '';
    url.password = '';
    let res = await fetch(url, { signal, redirect: 'follow' });
    const challenge = res.headers.get('www-authenticate');
    if (res.status === 401 && challenge && req.username !== undefined) {
      await res.body?.cancel();
      const authorization = answerChallenge(challenge, req, new URL(res.url || url));
      if (authorization) res = await fetch(url, { signal, headers: { authorization } });
    }
    if (res.status === 401) {
      await res.body?.cancel();
      const reason = req.username === undefined ? 'needs credentials' : 'credentials refused';
      return {
        ok: false,
        authFailed: true,
        reason: `snapshot HTTP 401 (${reason})`,
        ms: elapsed(),
      };
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, authFailed: false, reason: `snapshot HTTP ${res.status}`, ms: elapsed() };
    }
    const body = await readBounded(res, req.maxBytes);
    if (body === null) {
      return {
        ok: false,
        authFailed: false,
        reason: `snapshot larger than ${req.maxBytes} bytes`,
        ms: elapsed(),
      };
    }
    const ms = elapsed();
    if (!isJpeg(body)) {
      const type = res.headers.get('content-type') ?? 'no content type';
      return {
        ok: false,
        authFailed: false,
        reason: `snapshot is not a JPEG (${body.length} bytes, ${type})`,
        ms,
      };
    }
    return { ok: true, bytes: body.length, ms };
  } catch (err) {
    if (req.signal.aborted) return { ok: false, authFailed: false, reason: 'aborted', ms: null };
    const timedOut = (err as Error).name === 'TimeoutError';
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const why = timedOut ? `no answer in ${req.timeoutMs} ms` : (cause ?? (err as Error).message);
    return { ok: false, authFailed: false, reason: `snapshot fetch failed: ${why}`, ms: null };
  }
}

async function readBounded(res: Response, maxBytes: number): Promise<Uint8Array | null> {
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) {
      await res.body.cancel().catch(() => {});
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `Digest k="v", k=v` → parameters (RFC 7616 §3.3 challenge syntax). */
export function challengeParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of challenge.matchAll(/([a-zA-Z0-9_-]+)=(?:"([^"]*)"|([^\s,]*))/g)) {
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  return params;
}

/** The Authorization header for a challenge, or null for a scheme this probe does not speak. */
export function answerChallenge(
  challenge: string,
  creds: { username?: string | undefined; password?: string | undefined },
  url: URL,
  cnonce = randomBytes(8).toString('hex'),
): string | null {
  const username = creds.username ?? '';
  const password = creds.password ?? '';
  if (/^\s*basic\b/i.test(challenge) && !/digest/i.test(challenge)) {
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (!/^\s*digest\b/i.test(challenge)) return null;
  const p = challengeParams(challenge.replace(/^\s*digest\s+/i, ''));
  const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
  const hashName = algorithm.startsWith('SHA-256')
    ? 'sha256'
    : algorithm.startsWith('MD5')
      ? 'md5'
      : null;
  if (!hashName || p.nonce === undefined) return null;
  const h = (text: string) => createHash(hashName).update(text).digest('hex');
  const uri = url.pathname + url.search;
  const qop = p.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const nc = '00000001';
  // RFC 7616 §3.4.2: the -sess variants hash the nonces into A1.
  let ha1 = h(`${username}:${p.realm ?? ''}:${password}`);
  if (algorithm.endsWith('-SESS')) ha1 = h(`${ha1}:${p.nonce}:${cnonce}`);
  const ha2 = h(`GET:${uri}`);
  const response = qop
    ? h(`${ha1}:${p.nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    : h(`${ha1}:${p.nonce}:${ha2}`);
  const parts = [
    `username="${username}"`,
    `realm="${p.realm ?? ''}"`,
    `nonce="${p.nonce}"`,
    `uri="${uri}"`,
    `algorithm=${p.algorithm ?? 'MD5'}`,
    `response="${response}"`,
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
    ...(p.opaque !== undefined ? [`opaque="${p.opaque}"`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}
