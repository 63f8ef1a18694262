import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

// The notification centre through the real hub (docs/notifications.md "In the app"): a
// requester hears of the desk's public answer and of the state change, never of an internal
// note; the agent hears of the assignment and of the mention; each reads and marks only their
// own, and another tenant's person sees none of them.
const PASSWORD = 'inbox-password-1';
let t: TestHub;
const as: Record<string, ApiClient> = {};

interface Inbox {
  items: {
    id: string;
    kind: string;
    ticketId: string | null;
    number: number;
    subject: string;
    author: string | null;
    state: string | null;
    excerpt: string | null;
    read: boolean;
  }[];
  unread: number;
}

async function person(username: string, role: string, tenantId: string, branchIds: string[] = []) {
  await t.api.post('/api/v1/users', { username, password: PASSWORD, role, tenantId, branchIds });
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  as[username] = api;
}

const inboxOf = (username: string) => as[username]!.get<Inbox>('/api/v1/notifications');

beforeAll(async () => {
  t = await startTestHub();
  const acme = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'acme',
    name: 'Acme',
  });
  const other = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'other',
    name: 'Other',
  });
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'acme-hq',
    name: 'Head office',
    tenant: 'acme',
  });
  await person('clerk', 'requester', acme.tenant.id, [branch.id]);
  await person('sara', 'support_agent', acme.tenant.id);
  await person('reza', 'support_agent', acme.tenant.id);
  await person('outsider', 'tenant_admin', other.tenant.id);
});

afterAll(async () => {
  await t?.stop();
});

describe('the notification centre', () => {
  it('tells each person what concerns them, and lets them mark it read', async () => {
    const clerk = as.clerk!;
    const sara = as.sara!;
    const { items: branches } = await clerk.get<{ items: { id: string }[] }>('/api/v1/branches');
    const { ticket } = await clerk.post<{ ticket: { id: string; number: number } }>(
      '/api/v1/portal/tickets',
      { subject: 'Printer jammed', body: 'Paper stuck.', branchId: branches[0]!.id },
    );
    const { items: people } = await sara.get<{ items: { id: string; username: string }[] }>(
      '/api/v1/assignees',
    );
    const saraId = people.find((p) => p.username === 'sara')!.id;
    // Reza gives it to Sara: she hears of it; he does not hear of his own action.
    await as.reza!.request('PATCH', `/api/v1/tickets/${ticket.id}`, { assigneeId: saraId });
    await sara.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Internal: @reza can you bring paper?',
      visibility: 'internal',
    });
    await sara.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'We are on our way.',
      visibility: 'public',
    });
    await sara.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'resolved' });

    const clerkInbox = await waitFor('the answer and the resolution', async () => {
      const inbox = await inboxOf('clerk');
      return inbox.items.length >= 2 ? inbox : undefined;
    });
    expect(clerkInbox.items.map((n) => [n.kind, n.author, n.state, n.excerpt])).toEqual([
      ['state', 'sara', 'resolved', null],
      ['reply', 'sara', null, 'We are on our way.'],
    ]);
    expect(clerkInbox.unread).toBe(2);
    expect(clerkInbox.items[0]).toMatchObject({
      ticketId: ticket.id,
      number: ticket.number,
      subject: 'Printer jammed',
      read: false,
    });
    // The internal note reached nobody's centre as text.
    expect(JSON.stringify(clerkInbox)).not.toContain('Internal');

    const saraInbox = await waitFor('the assignment', async () => {
      const inbox = await inboxOf('sara');
      return inbox.items.some((n) => n.kind === 'assigned') ? inbox : undefined;
    });
    expect(saraInbox.items.map((n) => n.kind)).toEqual(['assigned']);
    // Mentioned, Reza watches the ticket from then on: he hears of what followed too.
    const rezaInbox = await waitFor('the mention', async () => {
      const inbox = await inboxOf('reza');
      return inbox.items.length >= 3 ? inbox : undefined;
    });
    expect(rezaInbox.items.map((n) => [n.kind, n.author])).toEqual([
      ['state', 'sara'],
      ['reply', 'sara'],
      ['mention', 'sara'],
    ]);

    // Read, unread again, all read.
    const first = clerkInbox.items[0]!.id;
    expect((await clerk.request('PUT', `/api/v1/notifications/${first}/read`, {})).status).toBe(
      204,
    );
    expect((await inboxOf('clerk')).unread).toBe(1);
    expect((await clerk.request('DELETE', `/api/v1/notifications/${first}/read`)).status).toBe(204);
    expect((await inboxOf('clerk')).unread).toBe(2);
    const all = await clerk.post<{ marked: number }>('/api/v1/notifications/read', {});
    expect(all.marked).toBe(2);
    expect((await inboxOf('clerk')).items.every((n) => n.read)).toBe(true);

    // Someone else's notification does not exist for them, in the tenant or outside it.
    const saras = saraInbox.items[0]!.id;
    for (const who of ['clerk', 'outsider']) {
      const res = await as[who]!.request('PUT', `/api/v1/notifications/${saras}/read`, {});
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'BW_ERR_NOT_FOUND' } });
    }
    expect((await inboxOf('sara')).unread).toBe(1);
    expect(await inboxOf('outsider')).toEqual({ items: [], unread: 0 });
    // A malformed id names nothing: 404 too, never a 500.
    expect((await clerk.request('PUT', '/api/v1/notifications/nope/read', {})).status).toBe(404);
  });
});
