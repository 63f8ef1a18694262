import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { loadConfig, ConfigError } from '../config/config.js';
import { connectDatabase, type Database } from '../db/database.js';

/**
 * Who the hub believes the client is, and how it slows password guessing (docs/security.md).
 * The whole 127.0.0.0/8 block is loopback on Linux: requests from 127.0.0.1 come from a
 * client, requests from 127.0.0.2 from "the reverse proxy" the hub is told to trust.
 */

const PROXY = '127.0.0.2';
let t: TestHub;
let db: Database;

beforeAll(async () => {
  t = await startTestHub({
    BW_TRUSTED_PROXIES: `${PROXY}, 10.255.0.0/16`,
    BW_LOGIN_RATE_MAX_PER_IP: '6',
    BW_LOGIN_MAX_FAILURES: '3',
    BW_LOGIN_RATE_MAX_PER_USERNAME: '10',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A POST from a chosen loopback source address, with the headers a proxy would add. */
function post(
  path: string,
  body: unknown,
  from: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send('POST', path, body, from, headers);
}

function send(
  method: string,
  path: string,
  body: unknown,
  from: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(path, t.api.baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        localAddress: from,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const wrongLogin = (username: string, from: string, headers?: Record<string, string>) =>
  post('/api/v1/auth/login', { username, password: 'not-the-password' }, from, headers);

async function failedLoginAddresses(username: string): Promise<string[]> {
  const rows = await db('audit_log')
    .where({ action: 'auth.login_failed' })
    .whereRaw("details->>'username' = ?", [username])
    .orderBy('seq')
    .select('ip');
  return rows.map((r: { ip: string }) => r.ip);
}

describe('X-Forwarded-For', () => {
  it('is ignored from a client: rotating it dodges no limit and forges no audit entry', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await wrongLogin(`rotator-${i}`, '127.0.0.1', {
        'x-forwarded-for': `198.51.100.${i + 1}`,
      });
      statuses.push(res.status);
    }
    // Six failures per address, whatever the header says.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    expect(await failedLoginAddresses('rotator-0')).toEqual(['127.0.0.1']);
  });

  it('is believed from a trusted proxy: the nearest address the proxy did not add itself', async () => {
    // The client wrote 203.0.113.66 into the header itself; the proxy appended what it heard.
    const res = await wrongLogin('behind-proxy', PROXY, {
      'x-forwarded-for': '203.0.113.66, 192.0.2.10',
    });
    expect(res.status).toBe(401);
    expect(await failedLoginAddresses('behind-proxy')).toEqual(['192.0.2.10']);
    // Clients behind the proxy are counted one by one, not as the proxy's address.
    for (let i = 0; i < 8; i++) {
      const each = await wrongLogin(`crowd-${i}`, PROXY, {
        'x-forwarded-for': `192.0.2.${i + 20}`,
      });
      expect(each.status).toBe(401);
    }
  });

  it('is refused at start when BW_TRUSTED_PROXIES names something that is not an address', () => {
    expect(() => loadConfig({ BW_TRUSTED_PROXIES: '10.0.0.0/8, proxy.example' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ BW_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/10\.0\.0\.0\/33/);
    expect(loadConfig({ BW_TRUSTED_PROXIES: '10.0.0.0/8 ::1' }).http.trustedProxies).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
    expect(loadConfig({}).http.trustedProxies).toEqual([]);
  });
});

describe('password guessing', () => {
  const tryLogin = (username: string, password: string, from: string) =>
    post('/api/v1/auth/login', { username, password }, from);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('slows the guesser with growing waits and never locks the owner out', async () => {
    const stranger = '127.0.0.3';
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await tryLogin('admin', `guess-${i}`, stranger));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429]);
    expect(answers[3]!.headers['retry-after']).toBe('1');
    await sleep(1100);
    expect((await tryLogin('admin', 'guess-4', stranger)).status).toBe(401);
    const longer = await tryLogin('admin', 'guess-5', stranger);
    expect(longer.status).toBe(429);
    expect(longer.headers['retry-after']).toBe('2');
    // Even the right password waits at the guesser's address …
    expect((await tryLogin('admin', ADMIN_PASSWORD, stranger)).status).toBe(429);
    // … while the owner at theirs signs in at once, and nothing is stored on the account.
    expect((await tryLogin('admin', ADMIN_PASSWORD, '127.0.0.4')).status).toBe(200);
    const row = await db('users').where({ username: 'admin' }).first('locked_until');
    expect(row).toEqual({ locked_until: null });
  });

  it('answers an unknown username exactly as a known one, throttling included', async () => {
    const run = async (username: string, from: string) => {
      const out: { status: number; body: string; retryAfter?: string }[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await tryLogin(username, `guess-${i}`, from);
        out.push({ status: res.status, body: res.body, retryAfter: res.headers['retry-after'] });
      }
      return out;
    };
    const known = await run('admin', '127.0.0.5');
    const unknown = await run('no-such-person', '127.0.0.6');
    expect(unknown).toEqual(known);
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 429, 429]);
  });

  it('makes every address wait from its first failure when a name is guessed from many', async () => {
    for (let i = 1; i <= 10; i++)
      expect((await tryLogin('admin', 'spread', `127.0.1.${i}`)).status).toBe(401);
    // A new address still gets its first answer …
    expect((await tryLogin('admin', 'spread', '127.0.1.50')).status).toBe(401);
    // … and then waits, without the three free failures.
    expect((await tryLogin('admin', 'spread', '127.0.1.50')).status).toBe(429);
    expect((await tryLogin('admin', ADMIN_PASSWORD, '127.0.0.4')).status).toBe(200);
  });
});

describe('security headers and cookies', () => {
  it('puts CSP, frame, sniffing and referrer headers on the web UI, the API and errors', async () => {
    for (const [path, accept, status] of [
      ['/', 'text/html', 200],
      ['/tickets', 'text/html', 200],
      ['/api/v1/auth/me', 'application/json', 401],
      ['/api/v1/openapi.json', 'application/json', 200],
      ['/assets/no-such-file.js', 'application/javascript', 404],
      ['/readyz', 'application/json', 200],
    ] as const) {
      const res = await send('GET', path, undefined, '127.0.0.1', { accept });
      expect(res.status, path).toBe(status);
      expect(res.headers['content-security-policy'], path).toContain("script-src 'self'");
      expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy'], path).toContain("object-src 'none'");
      expect(res.headers['x-frame-options'], path).toBe('DENY');
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['referrer-policy'], path).toBe('same-origin');
      // Plain HTTP to the hub itself: HSTS is the TLS terminator's to send.
      expect(res.headers['strict-transport-security'], path).toBeUndefined();
    }
  });

  it('marks session cookies Secure when a trusted proxy says the request came over https', async () => {
    const login = { username: 'admin', password: ADMIN_PASSWORD };
    const secure = (res: Answer) =>
      (res.headers['set-cookie'] ?? []).map((c) => c.toLowerCase().includes('; secure'));
    const proxied = await post('/api/v1/auth/login', login, PROXY, {
      'x-forwarded-for': '192.0.2.77',
      'x-forwarded-proto': 'https',
    });
    expect(proxied.status).toBe(200);
    expect(secure(proxied)).toEqual([true, true]);
    // The same header from a client is not believed: the connection was plain HTTP.
    const forged = await post('/api/v1/auth/login', login, '127.0.0.7', {
      'x-forwarded-proto': 'https',
    });
    expect(forged.status).toBe(200);
    expect(secure(forged)).toEqual([false, false]);
  });
});
