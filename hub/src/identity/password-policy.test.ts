import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { connectDatabase, type Database } from '../db/database.js';
import { commonPasswords } from './common-passwords.js';

/**
 * The tenant's password policy (docs/security.md "Password policy") and the session limit of
 * admin roles, against a real hub on the embedded PostgreSQL.
 */

const PASSWORD = 'policy-password-123';
let t: TestHub;
let db: Database;
let alpha: { id: string; admin: ApiClient; adminId: string };
let bravo: { id: string; admin: ApiClient };

async function user(username: string, role: string, tenantId: string, password = PASSWORD) {
  const { user } = await t.api.post<{ user: { id: string } }>('/api/v1/users', {
    username,
    password,
    role,
    tenantId,
  });
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, password);
  return { id: user.id, api };
}

async function tenant(slug: string) {
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug,
  });
  const admin = await user(`${slug}-admin`, 'tenant_admin', tenant.id);
  return { id: tenant.id, admin: admin.api, adminId: admin.id };
}

const tokenOf = (api: ApiClient) => (api as unknown as { token: string }).token;

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  alpha = await tenant('alpha');
  bravo = await tenant('bravo');
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

describe('the shipped list of common passwords', () => {
  it('holds the well-known ones and not a long phrase', async () => {
    const list = await commonPasswords();
    expect(list.size).toBe(49_233);
    for (const p of ['123456', 'password', 'qwerty123', 'iloveyou', 'passw0rd'])
      expect(list.has(p)).toBe(true);
    expect(list.has('correct horse battery staple lamp')).toBe(false);
  });
});

describe('password policy', () => {
  it('starts at the defaults and refuses a common password, in any case', async () => {
    const { policy } = await alpha.admin.get<{ policy: Record<string, unknown> }>(
      '/api/v1/password-policy',
    );
    expect(policy).toEqual({
      tenantId: alpha.id,
      minLength: 8,
      refuseCommon: true,
      history: 5,
      adminMaxSessions: null,
    });
    const res = await alpha.admin.request('POST', '/api/v1/users', {
      username: 'alpha-common',
      password: 'Password1',
      role: 'viewer',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'BW_ERR_PASSWORD_POLICY',
        details: { field: 'password', reason: 'common' },
      },
    });
  });

  it("applies the tenant's length to new users, an admin's new password and one's own", async () => {
    const put = await alpha.admin.request('PUT', '/api/v1/password-policy', {
      minLength: 14,
      refuseCommon: true,
      history: 3,
      adminMaxSessions: null,
    });
    expect(put.status).toBe(200);
    const short = await alpha.admin.request('POST', '/api/v1/users', {
      username: 'alpha-short',
      password: 'thirteen-char',
      role: 'viewer',
    });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({
      error: {
        code: 'BW_ERR_PASSWORD_POLICY',
        details: { field: 'password', reason: 'too_short', minLength: 14 },
      },
    });
    // Bravo's policy is its own: the same password is long enough there.
    const inBravo = await bravo.admin.request('POST', '/api/v1/users', {
      username: 'bravo-short',
      password: 'thirteen-char',
      role: 'viewer',
    });
    expect(inBravo.status).toBe(201);

    const person = await user('alpha-person', 'viewer', alpha.id, 'fourteen-chars-1');
    const byAdmin = await alpha.admin.request('PATCH', `/api/v1/users/${person.id}`, {
      password: 'too-short-1',
    });
    expect(byAdmin.status).toBe(400);
    expect(byAdmin.body).toMatchObject({ error: { details: { reason: 'too_short' } } });
    const own = await person.api.request('POST', '/api/v1/auth/password', {
      currentPassword: 'fourteen-chars-1',
      newPassword: 'too-short-2',
    });
    expect(own.status).toBe(400);
    expect(own.body).toMatchObject({
      error: { details: { field: 'newPassword', reason: 'too_short' } },
    });
  });

  it('refuses the last N passwords, and takes an older one again', async () => {
    // history 3 (above): the current password and the two before it.
    const person = await user('alpha-reuse', 'viewer', alpha.id, 'first-password-of-mine');
    const change = async (from: string, to: string) =>
      (
        await person.api.request('POST', '/api/v1/auth/password', {
          currentPassword: from,
          newPassword: to,
        })
      ).status;
    const current = await person.api.request('POST', '/api/v1/auth/password', {
      currentPassword: 'first-password-of-mine',
      newPassword: 'first-password-of-mine',
    });
    expect(current.status).toBe(400);
    expect(current.body).toMatchObject({ error: { details: { reason: 'reused', history: 3 } } });
    expect(await change('first-password-of-mine', 'second-password-of-mine')).toBe(204);
    expect(await change('second-password-of-mine', 'third-password-of-mine')).toBe(204);
    expect(await change('third-password-of-mine', 'first-password-of-mine')).toBe(400);
    expect(await change('third-password-of-mine', 'fourth-password-of-mine')).toBe(204);
    // Now four back: allowed again.
    expect(await change('fourth-password-of-mine', 'first-password-of-mine')).toBe(204);
    // An admin's new password for the person follows the same rule.
    const byAdmin = await alpha.admin.request('PATCH', `/api/v1/users/${person.id}`, {
      password: 'fourth-password-of-mine',
    });
    expect(byAdmin.status).toBe(400);
    expect(byAdmin.body).toMatchObject({
      error: { details: { field: 'password', reason: 'reused' } },
    });
    const rows = await db('password_history').where({ user_id: person.id }).count('* as n');
    expect(Number(rows[0]!.n)).toBeLessThanOrEqual(2);
  });

  it('is audited with before and after', async () => {
    const entry = await db('audit_log')
      .where({ action: 'auth.password_policy_changed', tenant_id: alpha.id })
      .orderBy('seq', 'desc')
      .first();
    expect(entry.actor).toBe('alpha-admin');
    expect(entry.details).toMatchObject({
      before: { minLength: 8, history: 5 },
      after: { minLength: 14, history: 3 },
    });
  });

  it("another tenant's admin neither reads nor sets it", async () => {
    const before = await db('password_policies').where({ tenant_id: alpha.id }).first();
    const read = await bravo.admin.request('GET', `/api/v1/password-policy?tenantId=${alpha.id}`);
    expect(read.status).toBe(404);
    const set = await bravo.admin.request('PUT', '/api/v1/password-policy', {
      tenantId: alpha.id,
      minLength: 8,
      refuseCommon: false,
      history: 0,
      adminMaxSessions: null,
    });
    expect(set.status).toBe(404);
    expect(await db('password_policies').where({ tenant_id: alpha.id }).first()).toEqual(before);
    // A global admin names the tenant.
    const { policy } = await t.api.get<{ policy: { minLength: number } }>(
      `/api/v1/password-policy?tenantId=${alpha.id}`,
    );
    expect(policy.minLength).toBe(14);
  });

  it('refuses a policy out of bounds with the field named', async () => {
    const res = await alpha.admin.request('PUT', '/api/v1/password-policy', {
      minLength: 4,
      refuseCommon: true,
      history: 3,
      adminMaxSessions: null,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'minLength' } },
    });
  });
});

describe('sessions of admin roles', () => {
  it('holds at most the limit: the oldest session ends at the next login', async () => {
    await bravo.admin.request('PUT', '/api/v1/password-policy', {
      minLength: 8,
      refuseCommon: true,
      history: 5,
      adminMaxSessions: 2,
    });
    const admin2 = await user('bravo-admin2', 'tenant_admin', await bravoId(), PASSWORD);
    const second = new ApiClient(t.api.baseUrl);
    await second.login('bravo-admin2', PASSWORD);
    expect((await admin2.api.request('GET', '/api/v1/auth/me')).status).toBe(200);
    const third = new ApiClient(t.api.baseUrl);
    await third.login('bravo-admin2', PASSWORD);
    // The first of three ended; the two newest stay.
    expect((await admin2.api.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await second.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await third.request('GET', '/api/v1/auth/me')).status).toBe(200);
    const ended = await db('audit_log')
      .where({ action: 'auth.session_revoked', target: `user:${admin2.id}` })
      .first();
    expect(ended.details).toMatchObject({ reason: 'session limit' });
    // Other roles are not limited.
    const viewer = await user('bravo-viewer', 'viewer', await bravoId());
    for (let i = 0; i < 2; i++) await new ApiClient(t.api.baseUrl).login('bravo-viewer', PASSWORD);
    expect((await viewer.api.request('GET', '/api/v1/auth/me')).status).toBe(200);
  });

  it("a tenant's admin lists and ends a session of their people, not another tenant's", async () => {
    const person = await user('alpha-session', 'viewer', alpha.id, 'fourteen-chars-2');
    const list = await alpha.admin.get<{ items: { id: string; userId: string }[] }>(
      `/api/v1/auth/sessions?userId=${person.id}`,
    );
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.userId).toBe(person.id);
    // Bravo's admin cannot see or end it.
    const theirs = await bravo.admin.get<{ items: { userId: string }[] }>(
      `/api/v1/auth/sessions?userId=${person.id}`,
    );
    expect(theirs.items.every((s) => s.userId !== person.id)).toBe(true);
    const refused = await bravo.admin.request(
      'DELETE',
      `/api/v1/auth/sessions/${list.items[0]!.id}`,
    );
    expect(refused.status).toBe(404);
    expect((await person.api.request('GET', '/api/v1/auth/me')).status).toBe(200);
    const ended = await alpha.admin.request('DELETE', `/api/v1/auth/sessions/${list.items[0]!.id}`);
    expect(ended.status).toBe(204);
    expect((await person.api.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect(tokenOf(person.api)).toBeTruthy();
  });
});

const bravoId = async () => bravo.id;
