import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

// Custom roles from permissions. The route table
// (identity/route-permissions.ts) alone decides; no route caps a custom role by the built-in
// role name underneath it. Real hub, real PostgreSQL, real HTTP.
let t: TestHub;
let tenantId: string;
const PASSWORD = 'password-123';

/** A user whose built-in role is `viewer`, with a custom role of `permissions` on top. */
async function userWith(username: string, permissions: string[]) {
  const { role } = await t.api.post<{ role: { id: string } }>('/api/v1/roles', {
    name: `${username}-role`,
    permissions,
    tenantId,
  });
  const { user } = await t.api.post<{ user: { id: string } }>('/api/v1/users', {
    username,
    password: PASSWORD,
    role: 'viewer',
    tenantId,
    customRoleId: role.id,
  });
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  return { id: user.id, api };
}

const forbidden = { error: { code: 'BW_ERR_FORBIDDEN' } };

beforeAll(async () => {
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string }[] }>('/api/v1/tenants');
  tenantId = items[0]!.id;
});
afterAll(async () => {
  await t?.stop();
});

describe('a custom role with only the ticket permissions', () => {
  let desk: { id: string; api: ApiClient };
  beforeAll(async () => {
    desk = await userWith('tess', ['tickets.read', 'tickets.write']);
  });

  it('is told its permissions by /auth/me, sorted', async () => {
    const me = await desk.api.get<{ user: Record<string, unknown> }>('/api/v1/auth/me');
    expect(me.user).toEqual({
      id: desk.id,
      username: 'tess',
      role: 'viewer',
      permissions: ['tickets.read', 'tickets.write'],
    });
  });

  it('works tickets: opens, replies, changes state', async () => {
    const { ticket } = await desk.api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'Phones down on floor 3',
      body: 'No dial tone',
    });
    const reply = await desk.api.request('POST', `/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Looking at the switch now',
    });
    expect(reply.status).toBe(201);
    const change = await desk.api.request('PATCH', `/api/v1/tickets/${ticket.id}`, {
      state: 'in_progress',
    });
    expect(change.status).toBe(200);
    const detail = await desk.api.get<{
      ticket: { state: string };
      events: { kind: string; body: string | null; author: string | null }[];
    }>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.ticket.state).toBe('in_progress');
    expect(detail.events.filter((e) => e.kind === 'reply')).toEqual([
      expect.objectContaining({ body: 'Looking at the switch now', author: 'tess' }),
    ]);
  });

  it('gets 403 with its stable code on admin routes', async () => {
    const canned = await desk.api.request('POST', '/api/v1/canned-replies', {
      name: 'thanks',
      body: 'Thank you',
    });
    expect(canned.status).toBe(403);
    expect(canned.body).toMatchObject(forbidden);
    const users = await desk.api.request('GET', '/api/v1/users');
    expect(users.status).toBe(403);
    expect(users.body).toMatchObject(forbidden);
    const subscriptions = await desk.api.request('GET', '/api/v1/notify/subscriptions');
    expect(subscriptions.status).toBe(403);
  });
});

describe('a custom role with the helpdesk admin permissions', () => {
  let lead: { id: string; api: ApiClient };
  let agent: { id: string; api: ApiClient };
  beforeAll(async () => {
    // PUT …/members/:userId is a tickets.write route (members set their own flag); sla.manage
    // is what lets the lead set anyone's.
    lead = await userWith('hana', ['tickets.read', 'tickets.write', 'sla.manage', 'alerts.manage']);
    agent = await userWith('omid', ['tickets.read', 'tickets.write']);
  });

  it('manages canned replies', async () => {
    const created = await lead.api.request('POST', '/api/v1/canned-replies', {
      name: 'restart',
      body: 'Please restart the router',
    });
    expect(created.status).toBe(201);
    const { id } = (created.body as { cannedReply: { id: string } }).cannedReply;
    const listed = await lead.api.get<{ items: { id: string; name: string }[] }>(
      '/api/v1/canned-replies',
    );
    expect(listed.items.map((r) => r.name)).toContain('restart');
    expect((await lead.api.request('DELETE', `/api/v1/canned-replies/${id}`)).status).toBe(204);
  });

  it('manages notification subscriptions', async () => {
    const created = await lead.api.request('POST', '/api/v1/notify/subscriptions', {
      channel: 'email',
      address: 'desk-list@branchwatch.test',
      events: ['ticket.opened'],
    });
    expect(created.status).toBe(201);
    const { id } = (created.body as { subscription: { id: string } }).subscription;
    const listed = await lead.api.get<{ items: { id: string; address: string }[] }>(
      '/api/v1/notify/subscriptions',
    );
    expect(listed.items).toEqual([
      expect.objectContaining({ id, address: 'desk-list@branchwatch.test' }),
    ]);
    expect((await lead.api.request('DELETE', `/api/v1/notify/subscriptions/${id}`)).status).toBe(
      204,
    );
  });

  it("sets another member's away flag, which a ticket permission alone may not", async () => {
    const { group } = await lead.api.post<{ group: { id: string } }>('/api/v1/support-groups', {
      name: 'Network desk',
    });
    const members = `/api/v1/support-groups/${group.id}/members`;
    const added = await lead.api.request('PUT', `${members}/${agent.id}`, { away: false });
    expect(added.status).toBe(200);
    // A member sets their own flag with tickets.write; anyone else's needs sla.manage.
    const own = await agent.api.request('PUT', `${members}/${agent.id}`, { away: true });
    expect(own.status).toBe(200);
    expect((own.body as { members: { userId: string; away: boolean }[] }).members).toEqual([
      { userId: agent.id, username: 'omid', away: true },
    ]);
    const other = await agent.api.request('PUT', `${members}/${lead.id}`, { away: false });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject(forbidden);
  });
});
