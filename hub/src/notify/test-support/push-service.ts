import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
  type ECDH,
} from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';

/** A browser's side of one push subscription: its P-256 key pair and auth secret. */
export interface BrowserKeys {
  ecdh: ECDH;
  auth: Buffer;
}

/** One push message as the browser would see it, and what the push service checked. */
export interface PushDelivery {
  token: string;
  /** The decrypted payload (RFC 8291). */
  plaintext: string;
  /** The VAPID claims (RFC 8292), after their signature was verified. */
  claims: { aud: string; exp: number; sub: string };
  /** The `k` parameter: the application server's public key. */
  serverKey: string;
  ttl: number;
}

/**
 * A push service on loopback for tests (RFC 8030), the peer a browser's push service is: it
 * refuses a request whose VAPID token (RFC 8292) does not verify or does not name it, decrypts
 * the aes128gcm body (RFC 8188, RFC 8291 §3.4) with the subscription's private key and auth
 * secret the way the browser does, and answers 201 — or the status `statusFor` chooses for a
 * subscription (410: the browser unsubscribed).
 */
export async function startPushService(statusFor: (token: string) => number = () => 201) {
  const browsers = new Map<string, BrowserKeys>();
  const delivered: PushDelivery[] = [];
  const refused: { token: string; why: string }[] = [];
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
      try {
        const keys = browsers.get(token);
        if (!keys || req.method !== 'POST') throw new Refusal(404, 'no such subscription');
        const vapid = checkVapid(req.headers.authorization, origin);
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Refusal(415, `content-encoding ${req.headers['content-encoding']}`);
        const ttl = Number(req.headers.ttl);
        if (!Number.isInteger(ttl) || ttl < 0) throw new Refusal(400, 'TTL missing');
        const status = statusFor(token);
        if (status === 201) {
          const plaintext = decrypt(Buffer.concat(chunks), keys).toString('utf8');
          delivered.push({ token, plaintext, ttl, ...vapid });
        }
        res.statusCode = status;
        res.end();
      } catch (err) {
        const status = err instanceof Refusal ? err.status : 400;
        refused.push({ token, why: (err as Error).message });
        res.statusCode = status;
        res.end((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    delivered,
    refused,
    /** A new browser subscribing: its endpoint here and the keys it hands the application. */
    subscribe(token: string) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      browsers.set(token, { ecdh, auth });
      return {
        endpoint: `${origin}/push/${token}`,
        keys: {
          p256dh: ecdh.getPublicKey().toString('base64url'),
          auth: auth.toString('base64url'),
        },
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 8292 §3: `Authorization: vapid t=<JWT>, k=<public key>`, an ES256 JWT for this origin. */
function checkVapid(header: string | undefined, origin: string) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? '');
  if (!match) throw new Refusal(401, `no VAPID authorization: ${header}`);
  const [, jwt, k] = match as unknown as [string, string, string];
  const [head, body, signature] = jwt.split('.') as [string, string, string];
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (json(head).alg !== 'ES256') throw new Refusal(401, 'not ES256');
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Refusal(401, 'k is not a P-256 point');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Refusal(403, 'the VAPID signature does not verify');
  const claims = json(body) as { aud: string; exp: number; sub: string };
  if (claims.aud !== origin) throw new Refusal(403, `aud ${claims.aud} is not ${origin}`);
  const now = Date.now() / 1000;
  // §2: no more than 24 hours ahead.
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600))
    throw new Refusal(403, `exp ${claims.exp} out of range`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Refusal(403, `sub ${claims.sub}`);
  return { claims, serverKey: k };
}

/** RFC 8188 §2 with the keys of RFC 8291 §3.4; one record, as web push sends. */
function decrypt(message: Buffer, { ecdh, auth }: BrowserKeys): Buffer {
  const salt = message.subarray(0, 16);
  const recordSize = message.readUInt32BE(16);
  const idLength = message[20]!;
  const serverPublic = message.subarray(21, 21 + idLength);
  const record = message.subarray(21 + idLength);
  if (idLength !== 65 || record.length > recordSize) throw new Refusal(400, 'bad header');
  const browserPublic = ecdh.getPublicKey();
  const shared = ecdh.computeSecret(serverPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browserPublic, serverPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: aes128gcm\0', 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: nonce\0', 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([
    decipher.update(record.subarray(0, record.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Refusal(400, 'no last-record delimiter');
  return padded.subarray(0, end);
}
