import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/database.js';
import { hashPassword, legacyScryptHash } from './password.js';
import { ApiClient } from '../../../test/support/http.js';
import { connectAgent, startTestHub, type TestHub } from '../../../test/support/hub.js';

// Identity and audit against a real hub on the embedded PostgreSQL.
let t: TestHub;
let db: Database;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  t = await startTestHub({
    // The test speaks as a reverse proxy on loopback, naming the client in X-Forwarded-For.
    BW_TRUSTED_PROXIES: '127.0.0.1',
    BW_LOGIN_MAX_FAILURES: '3',
    BW_LOGIN_LOCKOUT_MINUTES: '10',
    BW_LOGIN_RATE_MAX_PER_USERNAME: '5',
    BW_LOGIN_RATE_MAX_PER_IP: '6',
    BW_MFA_REQUIRED_ROLES: 'viewer',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
});

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

async function createUser(username: string, role = 'support_agent', hash?: string) {
  const [row] = await db('users')
    .insert({ username, role, password_hash: hash ?? (await hashPassword(PASSWORD)) })
    .returning('id');
  return row.id as string;
}

/** A login from a client address of the test's choosing (behind the trusted proxy). */
function login(body: Record<string, unknown>, ip = '10.0.0.1', path = '/api/v1/auth/login') {
  return fetch(t.api.baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });
}

async function bearer(token: string) {
  const api = new ApiClient(t.api.baseUrl);
  (api as unknown as { token: string }).token = token;
  return api;
}

const codeAt = (secret: string, offsetSeconds = 0) =>
  new TOTP({
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });

describe('password hashing', () => {
  it('stores argon2id and upgrades an old scrypt hash at the next login', async () => {
    const admin = await db('users').where({ username: 'admin' }).first('password_hash');
    expect(admin.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const id = await createUser('legacy', 'support_agent', await legacyScryptHash(PASSWORD));
    const res = await login({ username: 'legacy', password: PASSWORD });
    expect(res.status).toBe(200);
    const after = await db('users').where({ id }).first('password_hash');
    expect(after.password_hash).toMatch(/^\$argon2id\$/);
    expect((await login({ username: 'legacy', password: PASSWORD })).status).toBe(200);
  });

  it('stores agent secrets as a keyed hash and the broker accepts them', async () => {
    const issued = await t.api.createAgent('isfahan-1', 'srv-01');
    const row = await db('agents').where({ id: issued.agent.id }).first('password_hash');
    expect(row.password_hash).toMatch(/^hmac-sha256\$[\w-]{22}\$[\w-]{43}$/);
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    expect(client.connected).toBe(true);
    client.end(true);
    await expect(
      connectAgent(t.mqttUrl, { ...issued.credentials, password: 'x'.repeat(32) }),
    ).rejects.toThrow(/Bad username or password|Not authorized/);
  });

  it("replaces an agent's argon2id hash with the keyed hash at its next connect", async () => {
    const issued = await t.api.createAgent('isfahan-2', 'srv-02');
    const old = await hashPassword(issued.credentials.password);
    await db('agents').where({ id: issued.agent.id }).update({ password_hash: old });
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    expect(client.connected).toBe(true);
    client.end(true);
    const row = await db('agents').where({ id: issued.agent.id }).first('password_hash');
    expect(row.password_hash).toMatch(/^hmac-sha256\$/);
    const again = await connectAgent(t.mqttUrl, issued.credentials);
    expect(again.connected).toBe(true);
    again.end(true);
  });
});

describe('CSRF for cookie sessions', () => {
  it('refuses unsafe cookie requests without X-CSRF-Token and accepts them with it', async () => {
    const res = await login({ username: 'admin', password: 'test-admin-password' });
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('bw_session='))!.split(';')[0]!;
    const csrfCookie = cookies.find((c) => c.startsWith('bw_csrf='))!;
    expect(csrfCookie).not.toMatch(/httponly/i);
    expect(csrfCookie).toMatch(/samesite=lax/i);
    const csrf = csrfCookie.split(';')[0]!.slice('bw_csrf='.length);
    expect(((await res.json()) as { csrfToken: string }).csrfToken).toBe(csrf);
    const cookie = `${session}; bw_csrf=${csrf}`;
    const post = (headers: Record<string, string>) =>
      fetch(`${t.api.baseUrl}/api/v1/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ name: 'csrf-check', scopes: ['tickets.read'] }),
      });
    const refused = await post({});
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'BW_ERR_CSRF' } });
    expect((await post({ 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await post({ 'x-csrf-token': csrf })).status).toBe(201);
    // Reads need no header; Bearer requests are exempt.
    const me = await fetch(`${t.api.baseUrl}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    const viaBearer = await t.api.request('POST', '/api/v1/auth/tokens', {
      name: 'bearer',
      scopes: ['tickets.read'],
    });
    expect(viaBearer.status).toBe(201);
  });
});

describe('TOTP two-factor', () => {
  it('enrols, logs in in two steps, refuses replays and uses recovery codes once', async () => {
    await createUser('tara');
    const first = await login({ username: 'tara', password: PASSWORD });
    const { token } = (await first.json()) as { token: string };
    const api = await bearer(token);
    const enrol = await api.post<{ secret: string; uri: string; qrCode: string }>(
      '/api/v1/auth/2fa/enrol',
      {},
    );
    expect(enrol.uri).toMatch(/^otpauth:\/\/totp\/Branchwatch:tara\?/);
    expect(enrol.uri).toContain(`secret=${enrol.secret}`);
    expect(enrol.qrCode).toMatch(/^data:image\/png;base64,/);
    expect((await api.request('POST', '/api/v1/auth/2fa/confirm', { code: '000000' })).status).toBe(
      401,
    );
    const confirmed = await api.post<{ recoveryCodes: string[] }>('/api/v1/auth/2fa/confirm', {
      code: codeAt(enrol.secret),
    });
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    const stored = await db('recovery_codes').select('code_hash');
    expect(stored.map((r) => r.code_hash)).not.toContain(confirmed.recoveryCodes[0]);

    const step1 = await login({ username: 'tara', password: PASSWORD });
    const { mfaRequired, ticket } = (await step1.json()) as {
      mfaRequired: boolean;
      ticket: string;
    };
    expect(mfaRequired).toBe(true);
    const wrong = await login({ ticket, code: '123456' }, '10.0.0.1', '/api/v1/auth/login/mfa');
    expect(wrong.status).toBe(401);
    const next = codeAt(enrol.secret, 30);
    const ok = await login({ ticket, code: next }, '10.0.0.1', '/api/v1/auth/login/mfa');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { username: 'tara' } });

    // RFC 6238 §5.2: the same code is not accepted twice.
    const again = (await (await login({ username: 'tara', password: PASSWORD })).json()) as {
      ticket: string;
    };
    const replay = await login(
      { ticket: again.ticket, code: next },
      '10.0.0.1',
      '/api/v1/auth/login/mfa',
    );
    expect(replay.status).toBe(401);
    const recovery = confirmed.recoveryCodes[0]!;
    const viaRecovery = await login(
      { ticket: again.ticket, recoveryCode: recovery.toUpperCase() },
      '10.0.0.1',
      '/api/v1/auth/login/mfa',
    );
    expect(viaRecovery.status).toBe(200);
    const third = (await (await login({ username: 'tara', password: PASSWORD })).json()) as {
      ticket: string;
    };
    const reused = await login(
      { ticket: third.ticket, recoveryCode: recovery },
      '10.0.0.1',
      '/api/v1/auth/login/mfa',
    );
    expect(reused.status).toBe(401);
    expect(await api.get('/api/v1/auth/2fa')).toEqual({ enabled: true, recoveryCodesLeft: 9 });

    // Turning it off needs a second factor too; then login is one step again.
    expect((await api.request('POST', '/api/v1/auth/2fa/disable', { code: '000000' })).status).toBe(
      401,
    );
    const off = await api.request('POST', '/api/v1/auth/2fa/disable', {
      recoveryCode: confirmed.recoveryCodes[1],
    });
    expect(off.status).toBe(204);
    const plain = await login({ username: 'tara', password: PASSWORD });
    expect(await plain.json()).toHaveProperty('token');
  });

  it('makes a user of a role that requires 2FA enrol before the first session', async () => {
    await createUser('vera', 'viewer');
    const res = await login({ username: 'vera', password: PASSWORD });
    const body = (await res.json()) as { mfaEnrolmentRequired: boolean; ticket: string };
    expect(body).not.toHaveProperty('token');
    expect(body.mfaEnrolmentRequired).toBe(true);
    const enrol = await login({ ticket: body.ticket }, '10.0.0.1', '/api/v1/auth/login/enrol');
    const { secret } = (await enrol.json()) as { secret: string };
    const done = await login(
      { ticket: body.ticket, code: codeAt(secret) },
      '10.0.0.1',
      '/api/v1/auth/login/enrol/confirm',
    );
    expect(done.status).toBe(200);
    const session = (await done.json()) as { token: string; recoveryCodes: string[] };
    expect(session.recoveryCodes).toHaveLength(10);
    const api = await bearer(session.token);
    expect(await api.get('/api/v1/auth/me')).toMatchObject({ user: { username: 'vera' } });
    // Next time: the ordinary second step.
    const later = await login({ username: 'vera', password: PASSWORD });
    expect(await later.json()).toMatchObject({ mfaRequired: true });
  });
});

describe('API tokens', () => {
  it('creates a token shown once, accepts it as Bearer, and stops it when revoked', async () => {
    const created = await t.api.post<{ token: string; apiToken: { id: string } }>(
      '/api/v1/auth/tokens',
      { name: 'grafana', scopes: ['tickets.read', 'inventory.read'] },
    );
    expect(created.token).toMatch(/^bw_pat_[A-Za-z0-9_-]{43}$/);
    const row = await db('api_tokens').where({ id: created.apiToken.id }).first();
    expect(row.token_hash).not.toContain(created.token);
    const integration = await bearer(created.token);
    expect(await integration.get('/api/v1/auth/me')).toMatchObject({ user: { username: 'admin' } });
    const list = await t.api.get<{
      items: { id: string; lastUsedAt: string | null; scopes: string[] }[];
    }>('/api/v1/auth/tokens');
    const listed = list.items.find((i) => i.id === created.apiToken.id)!;
    expect(listed.lastUsedAt).not.toBeNull();
    expect(listed.scopes).toEqual(['tickets.read', 'inventory.read']);
    expect(JSON.stringify(list)).not.toContain(created.token);
    // A token cannot mint tokens, nor manage sessions or 2FA.
    expect((await integration.request('GET', '/api/v1/auth/sessions')).status).toBe(403);
    expect((await integration.request('POST', '/api/v1/auth/2fa/enrol', {})).status).toBe(403);
    expect(
      (
        await integration.request('POST', '/api/v1/auth/tokens', {
          name: 'x',
          scopes: ['tickets.read'],
        })
      ).status,
    ).toBe(403);

    const bad = await t.api.request('POST', '/api/v1/auth/tokens', { name: 'x', scopes: ['root'] });
    expect(bad.status).toBe(400);
    expect(
      await (
        await t.api.request('DELETE', `/api/v1/auth/tokens/${created.apiToken.id}`)
      ).status,
    ).toBe(204);
    expect((await integration.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const created = await t.api.post<{ token: string; apiToken: { id: string } }>(
      '/api/v1/auth/tokens',
      {
        name: 'short',
        scopes: ['tickets.read'],
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    );
    const integration = await bearer(created.token);
    expect((await integration.request('GET', '/api/v1/auth/me')).status).toBe(200);
    await db('api_tokens')
      .where({ id: created.apiToken.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect((await integration.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });
});

describe('login throttling', () => {
  it('makes one address wait after N failures of a username, never locking the account', async () => {
    const id = await createUser('locky');
    for (let i = 0; i < 3; i++) {
      const res = await login({ username: 'locky', password: 'wrong' }, '10.1.0.1');
      expect(res.status).toBe(401);
    }
    const waiting = await login({ username: 'locky', password: PASSWORD }, '10.1.0.1');
    expect(waiting.status).toBe(429);
    expect(await waiting.json()).toMatchObject({ error: { code: 'BW_ERR_RATE_LIMITED' } });
    expect(Number(waiting.headers.get('retry-after'))).toBe(1);
    // The owner at another address signs in at once; nothing is stored on the account.
    expect((await login({ username: 'locky', password: PASSWORD }, '10.1.0.2')).status).toBe(200);
    expect(await db('users').where({ id }).first('locked_until')).toEqual({ locked_until: null });
  });

  it('makes every address wait from its first failure once a username fails from many', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await login({ username: 'ghost', password: 'x' }, `10.2.0.${i}`);
      expect(res.status).toBe(401);
    }
    expect((await login({ username: 'ghost', password: 'x' }, '10.2.0.9')).status).toBe(401);
    const limited = await login({ username: 'ghost', password: 'x' }, '10.2.0.9');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 'BW_ERR_RATE_LIMITED' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(2);
  });

  it('answers 429 after too many failures from one address, whatever the username', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await login({ username: `nobody-${i}`, password: 'x' }, '10.3.0.1')).status).toBe(
        401,
      );
    }
    expect((await login({ username: 'admin', password: 'x' }, '10.3.0.1')).status).toBe(429);
    expect((await login({ username: 'nobody-9', password: 'x' }, '10.3.0.2')).status).toBe(401);
  });
});

describe('sessions', () => {
  it('lists the own sessions and revokes one or all others; admins see anyone', async () => {
    const id = await createUser('sam');
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await login({ username: 'sam', password: PASSWORD }, `10.4.0.${i}`);
      tokens.push(((await res.json()) as { token: string }).token);
    }
    const sam = await bearer(tokens[2]!);
    const { items } = await sam.get<{ items: { id: string; current: boolean; ip: string }[] }>(
      '/api/v1/auth/sessions',
    );
    expect(items).toHaveLength(3);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.find((s) => s.current)!.ip).toBe('10.4.0.2');
    const oldest = items.find((s) => s.ip === '10.4.0.0')!;
    expect((await sam.request('DELETE', `/api/v1/auth/sessions/${oldest.id}`)).status).toBe(204);
    expect((await (await bearer(tokens[0]!)).request('GET', '/api/v1/auth/me')).status).toBe(401);
    // Someone else's session is not found for a non-admin.
    const admins = await t.api.get<{ items: { id: string }[] }>('/api/v1/auth/sessions');
    expect(
      (await sam.request('DELETE', `/api/v1/auth/sessions/${admins.items[0]!.id}`)).status,
    ).toBe(404);
    const seenByAdmin = await t.api.get<{ items: unknown[] }>(`/api/v1/auth/sessions?userId=${id}`);
    expect(seenByAdmin.items).toHaveLength(2);
    expect(await sam.request('DELETE', '/api/v1/auth/sessions')).toMatchObject({
      body: { ended: 1 },
    });
    expect((await (await bearer(tokens[1]!)).request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await sam.request('GET', '/api/v1/auth/me')).status).toBe(200);
  });

  it("writes a session's last use again only once it is a minute old", async () => {
    const id = await createUser('sal');
    const res = await login({ username: 'sal', password: PASSWORD }, '10.4.1.1');
    const sal = await bearer(((await res.json()) as { token: string }).token);
    const lastSeen = async () =>
      (
        (await db('sessions').where({ user_id: id }).first('last_seen_at')) as {
          last_seen_at: Date;
        }
      ).last_seen_at;
    const recent = new Date(Date.now() - 30_000);
    await db('sessions').where({ user_id: id }).update({ last_seen_at: recent });
    expect((await sal.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await lastSeen()).getTime()).toBe(recent.getTime());
    const old = new Date(Date.now() - 120_000);
    await db('sessions').where({ user_id: id }).update({ last_seen_at: old });
    expect((await sal.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await lastSeen()).getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });
});

describe('audit log', () => {
  it('records sensitive actions, pages them for admins, and the command finds tampering', async () => {
    const first = await t.api.get<{ items: { seq: number; action: string }[]; nextBefore: number }>(
      '/api/v1/audit?limit=5',
    );
    expect(first.items).toHaveLength(5);
    const second = await t.api.get<{ items: { seq: number }[] }>(
      `/api/v1/audit?limit=5&before=${first.nextBefore}`,
    );
    expect(second.items[0]!.seq).toBeLessThan(first.items[4]!.seq);
    const all = await t.api.get<{ items: { action: string }[] }>('/api/v1/audit?limit=500');
    const actions = new Set(all.items.map((i) => i.action));
    for (const a of [
      'auth.login',
      'auth.login_failed',
      'api_token.created',
      'api_token.revoked',
      'auth.2fa_enabled',
      'auth.2fa_disabled',
      'auth.recovery_code_used',
      'auth.session_revoked',
    ])
      expect(actions).toContain(a);
    const failed = await t.api.get<{ items: { details: { username: string } }[] }>(
      '/api/v1/audit?action=auth.login_failed&limit=500',
    );
    expect(failed.items.map((i) => i.details.username)).toContain('ghost');

    const viewer = await login({ username: 'sam', password: PASSWORD }, '10.5.0.1');
    const sam = await bearer(((await viewer.json()) as { token: string }).token);
    expect((await sam.request('GET', '/api/v1/audit')).status).toBe(403);

    const intact = await verifyCommand();
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ entries, head [0-9a-f]{64}/);
    const [{ seq }] = await db('audit_log').orderBy('seq').offset(3).limit(1).select('seq');
    await db.raw(`UPDATE audit_log SET details = '{"username":"someone-else"}' WHERE seq = ?`, [
      seq,
    ]);
    const broken = await verifyCommand();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`audit chain BROKEN at entry ${seq} (content changed)`);
  });
});

async function verifyCommand(): Promise<{ code: number; stdout: string }> {
  const script = fileURLToPath(new URL('../../bin/branchwatch-audit-verify.js', import.meta.url));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl },
      timeout: 60_000,
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}
