import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  GENESIS,
  canonicalJson,
  entryHash,
  findBreak,
  type StoredAuditEntry,
} from './audit/audit-chain.js';
import { assertCsrf, csrfTokenFor } from './csrf.js';
import { hashPassword, legacyScryptHash, needsRehash, verifyPassword } from './password.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { acceptedStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash } from './totp.js';

describe('password', () => {
  it('hashes with argon2id and verifies old scrypt hashes, asking to rehash them', async () => {
    const argon = await hashPassword('s3cret-pass');
    expect(argon).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword('s3cret-pass', argon)).toBe(true);
    expect(await verifyPassword('s3cret-pasS', argon)).toBe(false);
    expect(needsRehash(argon)).toBe(false);
    const legacy = await legacyScryptHash('s3cret-pass');
    expect(await verifyPassword('s3cret-pass', legacy)).toBe(true);
    expect(await verifyPassword('other', legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(await verifyPassword('s3cret-pass', 'garbage')).toBe(false);
    expect(await verifyPassword('s3cret-pass', '$argon2id$broken')).toBe(false);
  });
});

describe('audit chain', () => {
  const entry = (n: number) => ({
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    actorId: null,
    actor: 'admin',
    action: 'auth.login',
    target: `user:${n}`,
    tenantId: null,
    ip: '127.0.0.1',
    details: { b: 1, a: [n, { z: true, y: null }] },
  });
  const chain = (): StoredAuditEntry[] => {
    let prev = GENESIS;
    return [1, 2, 3].map((n) => {
      const e = entry(n);
      const hash = entryHash(prev, e);
      const stored = { ...e, seq: n, prevHash: prev, hash };
      prev = hash;
      return stored;
    });
  };

  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"e":2,"f":1}]},"b":1}',
    );
  });

  it('passes an intact chain and names the first changed or missing entry', () => {
    expect(findBreak(chain(), GENESIS).break).toBeUndefined();
    const changed = chain();
    changed[1]!.details = { b: 2 };
    expect(findBreak(changed, GENESIS).break).toEqual({ seq: 2, reason: 'content changed' });
    const deleted = chain();
    deleted.splice(1, 1);
    expect(findBreak(deleted, GENESIS).break).toEqual({ seq: 3, reason: 'link broken' });
  });
});

describe('CSRF', () => {
  it('lets safe methods through and wants the derived token on unsafe ones', () => {
    const token = 'session-token';
    expect(() => assertCsrf({ method: 'GET', path: '/api/v1/x' }, token, '')).not.toThrow();
    expect(() => assertCsrf({ method: 'POST', path: '/api/v1/x' }, token, '')).toThrow(
      /x-csrf-token/,
    );
    expect(() =>
      assertCsrf({ method: 'DELETE', path: '/api/v1/x' }, token, csrfTokenFor('other')),
    ).toThrow();
    expect(() =>
      assertCsrf({ method: 'PATCH', path: '/api/v1/x' }, token, csrfTokenFor(token)),
    ).not.toThrow();
  });
});

describe('login rate limit', () => {
  it('counts within a sliding window and says how long to wait', () => {
    const limiter = new SlidingWindowLimiter(3, 60_000);
    limiter.hit('k', 0);
    limiter.hit('k', 10_000);
    expect(limiter.retryAfterMs('k', 20_000)).toBe(0);
    limiter.hit('k', 20_000);
    expect(limiter.retryAfterMs('k', 30_000)).toBe(30_000); // the first hit leaves at 60 s
    expect(limiter.retryAfterMs('k', 60_001)).toBe(0);
    expect(limiter.retryAfterMs('other', 30_000)).toBe(0);
  });

  it('keeps at most maxKeys keys', () => {
    const limiter = new SlidingWindowLimiter(1, 60_000, 2);
    for (const k of ['a', 'b', 'c']) limiter.hit(k, 0);
    expect(limiter.retryAfterMs('a', 1)).toBe(0);
    expect(limiter.retryAfterMs('c', 1)).toBeGreaterThan(0);
  });
});

describe('TOTP', () => {
  it('accepts the current and adjacent steps only, as RFC 6238 codes', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const gen = new TOTP({ secret: Secret.fromBase32(secret) });
    const now = Date.UTC(2026, 0, 1, 12, 0, 15);
    const step = Math.floor(now / 30_000);
    expect(acceptedStep(secret, gen.generate({ timestamp: now }), now)).toBe(step);
    expect(acceptedStep(secret, gen.generate({ timestamp: now + 30_000 }), now)).toBe(step + 1);
    expect(acceptedStep(secret, gen.generate({ timestamp: now + 90_000 }), now)).toBeUndefined();
    expect(acceptedStep(secret, 'abcdef', now)).toBeUndefined();
  });

  it('makes ten distinct recovery codes whose hash forgives case and dashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(codes[0]).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(recoveryCodeHash(codes[0]!.toUpperCase().replace(/-/g, ''))).toBe(hashes[0]);
  });
});
