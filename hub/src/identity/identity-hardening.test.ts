import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { loadConfig } from '../config/config.js';
import { connectDatabase, type Database } from '../db/database.js';
import { createLogger } from '../core/logger.js';
import { UserRepository } from './user.repository.js';
import { startIdentity } from './identity.js';
import { hashPassword } from './password.js';
import { SECRET_KEY_FILE, SecretBox, loadSecretKey } from './secret-box.js';

// Hardening against a real hub on the embedded PostgreSQL: SLA policy changes and
// ticket deletion in the audit chain, TOTP secrets sealed at rest with the hub's key file.
let t: TestHub;
let db: Database;
let dataDir: string;
const PASSWORD = 'hardening-password-1';
const logger = createLogger('silent');

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-hardening-'));
  t = await startTestHub({ BW_DATA_DIR: dataDir });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
});

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

interface AuditItem {
  seq: number;
  at: string;
  actorId: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  tenantId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

async function auditEntries(action: string): Promise<AuditItem[]> {
  const page = await t.api.get<{ items: AuditItem[] }>(`/api/v1/audit?action=${action}&limit=500`);
  return page.items.reverse(); // oldest first
}

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

async function tenantAdmin(slug: string) {
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug,
  });
  const { user } = await t.api.post<{ user: { id: string } }>('/api/v1/users', {
    username: `${slug}-admin`,
    password: PASSWORD,
    role: 'tenant_admin',
    tenantId: tenant.id,
  });
  const api = new ApiClient(t.api.baseUrl);
  await api.login(`${slug}-admin`, PASSWORD);
  return { tenantId: tenant.id, userId: user.id, api };
}

const week = (hours: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [hours]]));

describe('audit of SLA policy changes', () => {
  it('records who created, changed and deleted a policy and a calendar, with before and after', async () => {
    const started = Date.now();
    const { tenantId, userId, api } = await tenantAdmin('audited');
    const { calendar } = await api.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
      name: 'office',
      spec: { zone: 'Asia/Tehran', week: week('08:00-16:00') },
    });
    const { policy } = await api.post<{ policy: { id: string } }>('/api/v1/sla/policies', {
      name: 'urgent',
      calendarId: calendar.id,
      resolutionMs: 4 * 3600_000,
      escalations: [{ name: 'late', offsetMs: 0, action: 'notify' }],
      conditions: { priority: ['urgent'] },
    });
    const patch = {
      resolutionMs: 2 * 3600_000,
      escalations: [
        { name: 'late', offsetMs: 0, action: 'notify' },
        { name: 'later', offsetMs: 3600_000, action: 'raise_priority' },
      ],
    };
    expect((await api.request('PATCH', `/api/v1/sla/policies/${policy.id}`, patch)).status).toBe(
      200,
    );
    // The same values again change nothing and add no entry.
    expect((await api.request('PATCH', `/api/v1/sla/policies/${policy.id}`, patch)).status).toBe(
      200,
    );
    const renamed = {
      name: 'office hours',
      spec: { zone: 'Asia/Tehran', week: week('09:00-17:00') },
    };
    expect(
      (await api.request('PATCH', `/api/v1/sla/calendars/${calendar.id}`, renamed)).status,
    ).toBe(200);
    expect((await api.request('DELETE', `/api/v1/sla/policies/${policy.id}`)).status).toBe(204);
    expect((await api.request('DELETE', `/api/v1/sla/calendars/${calendar.id}`)).status).toBe(204);

    const entries = await auditEntries('policy.changed');
    const ops = entries.map((e) => [e.target, e.details.operation]);
    expect(ops).toEqual([
      [`sla_calendar:${calendar.id}`, 'created'],
      [`sla_policy:${policy.id}`, 'created'],
      [`sla_policy:${policy.id}`, 'updated'],
      [`sla_calendar:${calendar.id}`, 'updated'],
      [`sla_policy:${policy.id}`, 'deleted'],
      [`sla_calendar:${calendar.id}`, 'deleted'],
    ]);
    for (const e of entries) {
      // Who (from the request, though the SLA service is not told), for which tenant, when.
      expect(e).toMatchObject({ actorId: userId, actor: 'audited-admin', tenantId });
      expect(e.ip).toMatch(/127\.0\.0\.1/);
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(e.at)).toBeLessThanOrEqual(Date.now());
    }
    const [, created, updated, calendarUpdated, deleted] = entries;
    expect(created!.details.after).toMatchObject({ name: 'urgent', resolutionMs: 4 * 3600_000 });
    // An update keeps the changed fields only, each with its old and new value.
    expect(updated!.details.changes).toEqual({
      resolutionMs: { from: 4 * 3600_000, to: 2 * 3600_000 },
      escalations: {
        from: [{ name: 'late', offsetMs: 0, action: 'notify' }],
        to: patch.escalations,
      },
    });
    expect(calendarUpdated!.details.changes).toEqual({
      name: { from: 'office', to: 'office hours' },
      spec: {
        from: { zone: 'Asia/Tehran', week: week('08:00-16:00'), holidays: [] },
        to: { ...renamed.spec, holidays: [] },
      },
    });
    expect(deleted!.details.before).toMatchObject({
      id: policy.id,
      resolutionMs: 2 * 3600_000,
      escalations: patch.escalations,
    });

    const intact = await verifyCommand();
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ entries/);
    expect(intact.code).toBe(0);
  });

  it('records nothing for a change that was refused', async () => {
    const before = (await auditEntries('policy.changed')).length;
    const refused = await t.api.request('POST', '/api/v1/sla/policies', {
      name: 'broken',
      calendarId: '00000000-0000-4000-8000-000000000000',
    });
    expect(refused.status).toBe(400);
    expect((await auditEntries('policy.changed')).length).toBe(before);
  });
});

describe('audit of ticket deletion', () => {
  it('deletes a ticket with an entry that keeps what it was, and the chain verifies', async () => {
    const { tenantId, userId, api } = await tenantAdmin('deleting');
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'deleting-hq',
      tenant: 'deleting',
    });
    const { ticket } = await api.post<{ ticket: { id: string; number: number } }>(
      '/api/v1/tickets',
      { subject: 'printer on fire', body: 'smoke', priority: 'high', branchId: branch.id },
    );
    // Another tenant's admin cannot see it: not found. A support agent of the same tenant may
    // work tickets but not delete them. Neither is recorded.
    const stranger = await tenantAdmin('stranger');
    const other = await stranger.api.request('DELETE', `/api/v1/tickets/${ticket.id}`);
    expect(other.status).toBe(404);
    await t.api.post('/api/v1/users', {
      username: 'deleting-agent',
      password: PASSWORD,
      role: 'support_agent',
      tenantId,
    });
    const agent = new ApiClient(t.api.baseUrl);
    await agent.login('deleting-agent', PASSWORD);
    const refused = await agent.request('DELETE', `/api/v1/tickets/${ticket.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'BW_ERR_FORBIDDEN' } });
    expect(await auditEntries('ticket.deleted')).toEqual([]);

    const deleted = await api.request('DELETE', `/api/v1/tickets/${ticket.id}`);
    expect(deleted.status).toBe(204);
    expect((await api.request('GET', `/api/v1/tickets/${ticket.id}`)).status).toBe(404);
    expect((await api.request('DELETE', `/api/v1/tickets/${ticket.id}`)).status).toBe(404);
    expect(await db('ticket_events').where({ ticket_id: ticket.id })).toEqual([]);
    const [entry, ...more] = await auditEntries('ticket.deleted');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorId: userId,
      actor: 'deleting-admin',
      target: `ticket:${ticket.id}`,
      tenantId,
      details: {
        before: {
          number: ticket.number,
          subject: 'printer on fire',
          state: 'open',
          priority: 'high',
          branchId: branch.id,
        },
      },
    });
    expect((await verifyCommand()).code).toBe(0);
  });
});

const codeAt = (secret: string, offsetSeconds = 0) =>
  new TOTP({
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });

function post(pathname: string, body: unknown) {
  return fetch(t.api.baseUrl + pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Password, then the code: the status and body of the second step. */
async function loginWithCode(username: string, code: string) {
  const first = (await (
    await post('/api/v1/auth/login', { username, password: PASSWORD })
  ).json()) as {
    ticket: string;
  };
  const res = await post('/api/v1/auth/login/mfa', { ticket: first.ticket, code });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function userWithTotp(username: string): Promise<{ id: string; secret: string }> {
  const [row] = await db('users')
    .insert({ username, role: 'support_agent', password_hash: await hashPassword(PASSWORD) })
    .returning('id');
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  const { secret } = await api.post<{ secret: string }>('/api/v1/auth/2fa/enrol', {});
  const pending = await db('users').where({ id: row.id }).first('totp_pending_secret');
  expect(pending.totp_pending_secret).toMatch(/^v1:[0-9a-f]{8}:/);
  expect(pending.totp_pending_secret).not.toContain(secret);
  await api.post('/api/v1/auth/2fa/confirm', { code: codeAt(secret) });
  return { id: row.id as string, secret };
}

const storedSecret = async (id: string) =>
  ((await db('users').where({ id }).first('totp_secret')) as { totp_secret: string }).totp_secret;

describe('TOTP secrets at rest', () => {
  it('keeps the key in a 0600 file in the data folder and stores only sealed secrets', async () => {
    const stat = await fs.stat(path.join(dataDir, SECRET_KEY_FILE));
    expect(stat.mode & 0o777).toBe(0o600);
    const { id, secret } = await userWithTotp('sealed-sam');
    const stored = await storedSecret(id);
    expect(stored).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(secret);
    expect(stored.toUpperCase()).not.toContain(secret);
    // Sign-in with the code still works, through the sealed secret.
    const ok = await loginWithCode('sealed-sam', codeAt(secret, 30));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ user: { username: 'sealed-sam' } });
  });

  it('answers a changed, moved or foreign-key secret with a clear error and keeps serving', async () => {
    const { id, secret } = await userWithTotp('tampered-tim');
    const other = await userWithTotp('other-olga');
    const original = await storedSecret(id);
    const expectUnavailable = async (reason: RegExp) => {
      const res = await loginWithCode('tampered-tim', codeAt(secret));
      expect(res.status).toBe(503);
      const error = res.body.error as { code: string; message: string };
      expect(error.code).toBe('BW_ERR_INTERNAL');
      expect(error.message).toMatch(/^two-factor authentication is unavailable for this account/);
      expect(error.message).toMatch(reason);
    };

    // One character of the ciphertext changed.
    const last = original.at(-5) === 'A' ? 'B' : 'A';
    const flipped = `${original.slice(0, -5)}${last}${original.slice(-4)}`;
    await db('users').where({ id }).update({ totp_secret: flipped });
    await expectUnavailable(/it was changed/);
    // Another user's sealed secret copied over: bound to its row, it does not open here.
    await db('users')
      .where({ id })
      .update({ totp_secret: await storedSecret(other.id) });
    await expectUnavailable(/it was changed/);
    // Sealed with another key (a lost or replaced key file).
    const foreign = new SecretBox(randomBytes(32)).seal(secret, `users.totp_secret:${id}`);
    await db('users').where({ id }).update({ totp_secret: foreign });
    await expectUnavailable(/sealed with another key .*the secret key file is lost or wrong/);
    // A start counts such users, to log it before anyone tries to sign in.
    const config = loadConfig({ DATABASE_URL: t.databaseUrl, BW_DATA_DIR: dataDir });
    const identity = await startIdentity(db, new UserRepository(db), config, logger);
    expect(await identity.twoFactor.usersSealedWithOtherKey()).toBe(1);

    // The hub still serves, and the user signs in again once the right value is back.
    expect((await loginWithCode('other-olga', codeAt(other.secret, 30))).status).toBe(200);
    await db('users').where({ id }).update({ totp_secret: original });
    expect((await loginWithCode('tampered-tim', codeAt(secret, 30))).status).toBe(200);
  });

  it('seals secrets stored in clear when the hub starts, once', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const [row] = await db('users')
      .insert({
        username: 'legacy-lea',
        role: 'support_agent',
        password_hash: await hashPassword(PASSWORD),
        totp_secret: secret,
        totp_pending_secret: new Secret({ size: 20 }).base32,
      })
      .returning('id');
    // What startHub runs at start, on the hub's database with the hub's data folder.
    const config = loadConfig({ DATABASE_URL: t.databaseUrl, BW_DATA_DIR: dataDir });
    await startIdentity(db, new UserRepository(db), config, logger);
    const sealed = await db('users')
      .where({ id: row.id })
      .first('totp_secret', 'totp_pending_secret');
    expect(sealed.totp_secret).toMatch(/^v1:/);
    expect(sealed.totp_secret).not.toContain(secret);
    expect(sealed.totp_pending_secret).toMatch(/^v1:/);
    // Idempotent: a second start leaves every sealed value as it is.
    const identity = await startIdentity(db, new UserRepository(db), config, logger);
    expect(await identity.twoFactor.sealClearSecrets()).toBe(0);
    expect(
      await db('users').where({ id: row.id }).first('totp_secret', 'totp_pending_secret'),
    ).toEqual(sealed);
    // The running hub (same key file) opens what start sealed.
    expect((await loginWithCode('legacy-lea', codeAt(secret))).status).toBe(200);
  });

  it('wants BW_SECRET_KEY_FILE to exist and hold a key, and reads it when it does', async () => {
    const missing = path.join(dataDir, 'no-such.key');
    const config = loadConfig({
      DATABASE_URL: t.databaseUrl,
      BW_DATA_DIR: dataDir,
      BW_SECRET_KEY_FILE: missing,
    });
    expect(config.identity.secretKeyFile).toBe(missing);
    await expect(startIdentity(db, new UserRepository(db), config, logger)).rejects.toThrow(
      `BW_SECRET_KEY_FILE: ${missing} does not exist`,
    );
    const bad = path.join(dataDir, 'bad.key');
    await fs.writeFile(bad, 'not a key\n');
    await expect(loadSecretKey(bad, false)).rejects.toThrow(
      `${bad}: not a secret key (want base64 of 32 random bytes)`,
    );
    // A copy of the data folder's key given by path: the same key, so the same secrets open.
    const copy = path.join(dataDir, 'copy.key');
    await fs.copyFile(path.join(dataDir, SECRET_KEY_FILE), copy);
    const given = await loadSecretKey(copy, false);
    const own = await loadSecretKey(path.join(dataDir, SECRET_KEY_FILE), true);
    expect(given.equals(own)).toBe(true);
  });
});
