import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/support/http.js';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../../test/support/hub.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.stop());

describe('REST API', () => {
  it('answers 401 on every API route without a session or token', async () => {
    const anonymous = new ApiClient(t.api.baseUrl);
    const routes = [
      ['GET', '/api/v1/branches'],
      ['POST', '/api/v1/branches'],
      ['GET', '/api/v1/agents'],
      ['POST', '/api/v1/agents'],
      ['GET', '/api/v1/checks'],
      ['GET', '/api/v1/tickets'],
      ['GET', '/api/v1/tickets/00000000-0000-0000-0000-000000000000'],
      ['GET', '/api/v1/auth/me'],
      ['POST', '/api/v1/auth/logout'],
      ['GET', '/api/v1/no-such-route'],
    ] as const;
    for (const [method, path] of routes) {
      const res = await anonymous.request(method, path, method === 'POST' ? {} : undefined);
      expect([method, path, res.status, res.body]).toEqual([
        method,
        path,
        401,
        { error: { code: 'BW_ERR_UNAUTHENTICATED', message: 'log in first' } },
      ]);
    }
    const forged = await fetch(`${t.api.baseUrl}/api/v1/branches`, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(forged.status).toBe(401);
  });

  it('refuses a wrong password with a clear error', async () => {
    const res = await new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
      username: 'admin',
      password: 'wrong',
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'BW_ERR_BAD_CREDENTIALS', message: 'wrong username or password' },
    });
  });

  it('logs in with a cookie session and logs out', async () => {
    const login = await fetch(`${t.api.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^bw_session=/);
    expect(login.headers.get('set-cookie')).toMatch(/httponly/i);
    const me = await fetch(`${t.api.baseUrl}/api/v1/auth/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: { username: 'admin', role: 'admin' } });
    const logout = await fetch(`${t.api.baseUrl}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(logout.status).toBe(204);
    const after = await fetch(`${t.api.baseUrl}/api/v1/auth/me`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('creates a branch and an agent with credentials and a ready config', async () => {
    const issued = await t.api.createAgent('tehran-1', 'srv-01');
    expect(issued.credentials.username).toBe('default.tehran-1.srv-01');
    expect(issued.credentials.password.length).toBeGreaterThanOrEqual(24);
    expect(issued.config).toContain(`password: ${issued.credentials.password}`);
    expect(issued.config).toContain(`url: mqtt://127.0.0.1:${t.hub.mqttPort}`);
    const { items: branches } = await t.api.get<{ items: { slug: string; tenant: string }[] }>(
      '/api/v1/branches',
    );
    expect(branches).toEqual([expect.objectContaining({ slug: 'tehran-1', tenant: 'default' })]);
    const { items: agents } = await t.api.get<{ items: Record<string, unknown>[] }>(
      '/api/v1/agents',
    );
    expect(agents).toEqual([
      expect.objectContaining({ slug: 'srv-01', branch: 'tehran-1', online: false }),
    ]);
    expect(agents[0]).not.toHaveProperty('passwordHash');
  });

  it('names the bad field of a request', async () => {
    const slug = await t.api.request('POST', '/api/v1/branches', { slug: 'Not A Slug' });
    expect(slug.status).toBe(400);
    expect(slug.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
    const branchId = await t.api.request('POST', '/api/v1/agents', { branchId: 'x', slug: 'a' });
    expect(branchId.status).toBe(400);
    expect(branchId.body).toMatchObject({ error: { details: { field: 'branchId' } } });
    const extra = await t.api.request('POST', '/api/v1/branches', { slug: 'ok', colour: 'red' });
    expect(extra.status).toBe(400);
    const duplicate = await t.api.request('POST', '/api/v1/branches', { slug: 'tehran-1' });
    expect(duplicate.status).toBe(409);
    const missing = await t.api.request('GET', '/api/v1/tickets/not-a-uuid');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'BW_ERR_TICKET_NOT_FOUND' } });
    const badState = await t.api.request('GET', '/api/v1/tickets?state=sleeping');
    expect(badState.status).toBe(400);
  });

  it('reports health and readiness', async () => {
    expect(await t.api.get('/healthz')).toEqual({ status: 'ok' });
    expect(await t.api.get('/readyz')).toEqual({ status: 'ready', database: true, broker: true });
  });
});
