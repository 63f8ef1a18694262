import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { stream } from '../../../test/support/sse.js';
import { connectDatabase, type Database } from '../db/database.js';

/**
 * Abuse tests: what an insider of one tenant, a user limited to some branches, a disabled user
 * or a careless client tried, and what the hub must answer (docs/security.md). Each case
 * failed on the hub before its fix.
 */

const PASSWORD = 'abuse-password-123';
let t: TestHub;
let db: Database;

interface Tenant {
  id: string;
  hq: string;
  shop: string;
  admin: ApiClient;
  adminId: string;
}
let alpha: Tenant;
let bravo: Tenant;
/** A support agent of bravo limited to bravo's shop. */
let shopAgent: ApiClient;
let shopAgentId: string;

async function user(username: string, role: string, tenantId: string, branchIds?: string[]) {
  const { user } = await t.api.post<{ user: { id: string } }>('/api/v1/users', {
    username,
    password: PASSWORD,
    role,
    tenantId,
    ...(branchIds ? { branchIds } : {}),
  });
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  return { id: user.id, api };
}

async function tenant(slug: string): Promise<Tenant> {
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug,
  });
  const branch = async (name: string) =>
    (
      await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
        slug: `${slug}-${name}`,
        tenant: slug,
      })
    ).branch.id;
  const [hq, shop] = [await branch('hq'), await branch('shop')];
  const admin = await user(`${slug}-admin`, 'tenant_admin', tenant.id);
  return { id: tenant.id, hq, shop, admin: admin.api, adminId: admin.id };
}

const tokenOf = (api: ApiClient) => (api as unknown as { token: string }).token;

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  alpha = await tenant('alpha');
  bravo = await tenant('bravo');
  const agent = await user('bravo-shop', 'support_agent', bravo.id, [bravo.shop]);
  shopAgent = agent.api;
  shopAgentId = agent.id;
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

async function openTicket(api: ApiClient, subject: string, branchId: string) {
  return (
    await api.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
      subject,
      body: `${subject}: body`,
      branchId,
    })
  ).ticket;
}

describe('support groups hold only their tenant’s people', () => {
  it("refuses another tenant's user as lead or member", async () => {
    const created = await bravo.admin.request('POST', '/api/v1/support-groups', {
      name: 'Night shift',
      leadId: alpha.adminId,
    });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'leadId' } },
    });
    const { group } = await bravo.admin.post<{ group: { id: string } }>('/api/v1/support-groups', {
      name: 'Day shift',
      assignment: 'round_robin',
    });
    const lead = await bravo.admin.request('PATCH', `/api/v1/support-groups/${group.id}`, {
      leadId: alpha.adminId,
    });
    expect(lead.status).toBe(400);
    const member = await bravo.admin.request(
      'PUT',
      `/api/v1/support-groups/${group.id}/members/${alpha.adminId}`,
      {},
    );
    expect(member.status).toBe(404);
    expect(JSON.stringify(member.body)).not.toContain('alpha');
    expect(await db('group_members').where({ user_id: alpha.adminId })).toEqual([]);
    expect(await db('support_groups').where({ lead_id: alpha.adminId })).toEqual([]);
    // Their own people they may add.
    const own = await bravo.admin.request(
      'PUT',
      `/api/v1/support-groups/${group.id}/members/${shopAgentId}`,
      {},
    );
    expect(own.status).toBe(200);
  });
});

describe('the CSV export', () => {
  it('gives a branch-scoped user only the tickets of their branches', async () => {
    const hq = await openTicket(bravo.admin, 'HQ-ONLY printer jam', bravo.hq);
    const shop = await openTicket(bravo.admin, 'Shop till frozen', bravo.shop);
    const res = await fetch(`${t.api.baseUrl}/api/v1/tickets/export.csv`, {
      headers: { authorization: `Bearer ${tokenOf(shopAgent)}` },
    });
    expect(res.status).toBe(200);
    const csv = await res.text();
    const numbers = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => Number(line.split(',')[0]));
    expect(numbers).toContain(shop.number);
    expect(numbers).not.toContain(hq.number);
    expect(csv).not.toContain('HQ-ONLY');
    // The list answers the same (both through row-level security).
    const list = await shopAgent.get<{ items: { number: number }[] }>('/api/v1/tickets');
    expect(list.items.map((i) => i.number).sort()).toEqual(numbers.sort());
  });
});

describe('the live stream', () => {
  it("gives a branch-scoped user no event of another branch's ticket", async () => {
    const hq = await openTicket(bravo.admin, 'HQ router', bravo.hq);
    const shop = await openTicket(bravo.admin, 'Shop router', bravo.shop);
    const live = stream(t.api.baseUrl, tokenOf(shopAgent));
    try {
      expect((await live.opened).status).toBe(200);
      // The other branch's ticket changes first, then their own: when their own arrives,
      // the other would have arrived before it.
      await bravo.admin.request('PATCH', `/api/v1/tickets/${hq.id}`, { priority: 'high' });
      await bravo.admin.request('PATCH', `/api/v1/tickets/${shop.id}`, { priority: 'high' });
      await waitFor('the own ticket event', async () =>
        live.messages.find((m) => m.data.ticketId === shop.id),
      );
      expect(live.messages.map((m) => m.data.tenantId)).toEqual(live.messages.map(() => bravo.id));
      expect(live.messages.filter((m) => m.data.ticketId === hq.id)).toEqual([]);
    } finally {
      live.close();
    }
  });

  it('ends the stream of a user who is disabled, and sends them nothing more', async () => {
    const gone = await user('bravo-leaver', 'support_agent', bravo.id);
    const live = stream(t.api.baseUrl, tokenOf(gone.api));
    try {
      expect((await live.opened).status).toBe(200);
      const ticket = await openTicket(bravo.admin, 'Before leaving', bravo.shop);
      await waitFor('an event before', async () =>
        live.messages.find((m) => m.data.ticketId === ticket.id),
      );
      const res = await bravo.admin.request('PATCH', `/api/v1/users/${gone.id}`, {
        disabled: true,
      });
      expect(res.status).toBe(200);
      const ended = await Promise.race([
        live.ended.then(() => 'ended'),
        new Promise((r) => setTimeout(() => r('still open'), 5000)),
      ]);
      expect(ended).toBe('ended');
      const after = await openTicket(bravo.admin, 'After leaving', bravo.shop);
      await new Promise((r) => setTimeout(r, 500));
      expect(live.messages.filter((m) => m.data.ticketId === after.id)).toEqual([]);
    } finally {
      live.close();
    }
  });
});

describe('a disabled user', () => {
  it('cannot log in, loses every session and token, and gets none back when re-enabled', async () => {
    const leaver = await user('bravo-disabled', 'support_agent', bravo.id);
    const { token } = await leaver.api.post<{ token: string }>('/api/v1/auth/tokens', {
      name: 'script',
      scopes: ['tickets.read'],
    });
    const bearer = (value: string) =>
      fetch(`${t.api.baseUrl}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${value}` },
      }).then((r) => r.status);
    expect(await bearer(token)).toBe(200);
    const session = tokenOf(leaver.api);

    await bravo.admin.request('PATCH', `/api/v1/users/${leaver.id}`, { disabled: true });
    expect(await bearer(session)).toBe(401);
    expect(await bearer(token)).toBe(401);
    const login = (password: string) =>
      new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
        username: 'bravo-disabled',
        password,
      });
    const refused = await login(PASSWORD);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'BW_ERR_ACCOUNT_DISABLED' } });
    // Without the password, a disabled account looks like any other.
    const wrong = await login('not-the-password');
    const unknown = await new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', {
      username: 'nobody-at-all',
      password: 'not-the-password',
    });
    expect([wrong.status, wrong.body]).toEqual([unknown.status, unknown.body]);

    await bravo.admin.request('PATCH', `/api/v1/users/${leaver.id}`, { disabled: false });
    expect(await bearer(session)).toBe(401);
    expect(await bearer(token)).toBe(401);
    expect((await login(PASSWORD)).status).toBe(200);
  });
});

describe('bad input is a 400 or 409, never a 500', () => {
  const raw = (path: string, body: string, method = 'POST') =>
    fetch(`${t.api.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokenOf(bravo.admin)}`,
        'content-type': 'application/json',
      },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('answers malformed JSON with 400', async () => {
    const res = await raw('/api/v1/tickets', '{"subject": "x", ');
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: 'BW_ERR_VALIDATION', message: 'body: not valid JSON' } },
    });
  });

  it('answers a __proto__ key anywhere in a body with 400', async () => {
    for (const body of [
      '{"__proto__": {"admin": true}, "subject": "x", "body": "y"}',
      '{"subject": "x", "body": "y", "priority": "low", "category": null, "branchId": null, "groupId": null, "assigneeId": null, "x": {"__proto__": 1}}',
      '{"name": "n", "body": "b", "constructor": {"prototype": {"polluted": true}}}',
    ]) {
      const res = await raw('/api/v1/tickets', body);
      expect(res.status, body).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('asks a branch-scoped user for a branch when they open a ticket', async () => {
    const res = await shopAgent.request('POST', '/api/v1/tickets', {
      subject: 'No branch',
      body: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'branchId' } },
    });
  });

  it('answers a duplicate canned reply or group name with 409', async () => {
    const canned = { name: 'Greeting', body: 'Hello {{user.name}}' };
    expect((await bravo.admin.request('POST', '/api/v1/canned-replies', canned)).status).toBe(201);
    const again = await bravo.admin.request('POST', '/api/v1/canned-replies', canned);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'BW_ERR_CONFLICT' } });
    const group = { name: 'Escalations' };
    expect((await bravo.admin.request('POST', '/api/v1/support-groups', group)).status).toBe(201);
    const twice = await bravo.admin.request('POST', '/api/v1/support-groups', group);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { code: 'BW_ERR_CONFLICT' } });
  });
});

describe('passwords', () => {
  const me = (value: string) =>
    fetch(`${t.api.baseUrl}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${value}` },
    }).then((r) => r.status);
  const login = (username: string, password: string) =>
    new ApiClient(t.api.baseUrl).request('POST', '/api/v1/auth/login', { username, password });

  it('a user changes their own, proving the old one; their other sessions and tokens end', async () => {
    const person = await user('bravo-changer', 'support_agent', bravo.id);
    const elsewhere = new ApiClient(t.api.baseUrl);
    await elsewhere.login('bravo-changer', PASSWORD);
    const { token } = await person.api.post<{ token: string }>('/api/v1/auth/tokens', {
      name: 'script',
      scopes: ['tickets.read'],
    });
    const wrong = await person.api.request('POST', '/api/v1/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'a-new-password-1',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'currentPassword' } },
    });
    const short = await person.api.request('POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: { details: { field: 'newPassword' } } });
    // An API token may not change its owner's password.
    const byToken = await fetch(`${t.api.baseUrl}/api/v1/auth/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'a-new-password-1' }),
    });
    expect(byToken.status).toBe(403);

    const changed = await person.api.request('POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'a-new-password-1',
    });
    expect(changed.status).toBe(204);
    expect(await me(tokenOf(person.api))).toBe(200);
    expect(await me(tokenOf(elsewhere))).toBe(401);
    expect(await me(token)).toBe(401);
    expect((await login('bravo-changer', PASSWORD)).status).toBe(401);
    expect((await login('bravo-changer', 'a-new-password-1')).status).toBe(200);
    const audit = await db('audit_log')
      .where({ action: 'auth.password_changed', actor_id: person.id })
      .count<{ n: string }[]>('* as n');
    expect(Number(audit[0]!.n)).toBe(1);
  });

  it("an admin sets a forgotten one: the person's sessions, tokens and live stream end", async () => {
    const person = await user('bravo-forgetful', 'support_agent', bravo.id);
    const { token } = await person.api.post<{ token: string }>('/api/v1/auth/tokens', {
      name: 'script',
      scopes: ['tickets.read'],
    });
    const live = stream(t.api.baseUrl, tokenOf(person.api));
    try {
      expect((await live.opened).status).toBe(200);
      // Another tenant's admin cannot, and learns nothing.
      const foreign = await alpha.admin.request('PATCH', `/api/v1/users/${person.id}`, {
        password: 'taken-over-123',
      });
      expect(foreign.status).toBe(404);
      const tooShort = await bravo.admin.request('PATCH', `/api/v1/users/${person.id}`, {
        password: 'short',
      });
      expect(tooShort.status).toBe(400);
      const set = await bravo.admin.request('PATCH', `/api/v1/users/${person.id}`, {
        password: 'handed-over-123',
      });
      expect(set.status).toBe(200);
      expect(JSON.stringify(set.body)).not.toContain('handed-over-123');
      await Promise.race([
        live.ended,
        new Promise((_, reject) => setTimeout(() => reject(new Error('stream still open')), 5000)),
      ]);
    } finally {
      live.close();
    }
    expect(await me(tokenOf(person.api))).toBe(401);
    expect(await me(token)).toBe(401);
    expect((await login('bravo-forgetful', PASSWORD)).status).toBe(401);
    expect((await login('bravo-forgetful', 'handed-over-123')).status).toBe(200);
    expect((await login('bravo-forgetful', 'taken-over-123')).status).toBe(401);
  });
});
