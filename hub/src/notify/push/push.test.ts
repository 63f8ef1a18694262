import dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, waitFor } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { startPushService } from '../test-support/push-service.js';

// Web push through the real hub to a push service on loopback that decrypts what it receives
// (RFC 8291) and verifies the hub's VAPID token (RFC 8292), as a browser's push service and
// the browser would. Names that must resolve to private or link-local addresses resolve so
// through the test's own lookup: nothing is ever sent to them.
const PASSWORD = 'push-password-1';
let t: TestHub;
let service: Awaited<ReturnType<typeof startPushService>>;
const as: Record<string, ApiClient> = {};
let ticketOf: (subject: string) => Promise<{ id: string; number: number }>;

// The names this test makes resolve: one to a private address (refused when subscribing), one
// that does not resolve yet when subscribing and resolves to a link-local address later.
const resolves: Record<string, string | undefined> = {
  'push.branch-lan.test': '10.20.30.40',
  'push.later.test': undefined,
};
const realLookup = dns.promises.lookup.bind(dns.promises);

interface PushState {
  publicKey: string;
  subscriptions: { id: string; endpoint: string }[];
}
interface Delivery {
  channel: string;
  status: string;
  lastError: string | null;
  address: string;
}

async function person(username: string, role: string, tenantId: string, branchIds: string[] = []) {
  await t.api.post('/api/v1/users', { username, password: PASSWORD, role, tenantId, branchIds });
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, PASSWORD);
  as[username] = api;
}

beforeAll(async () => {
  vi.spyOn(dns.promises, 'lookup').mockImplementation((async (host: string, options: unknown) => {
    if (host in resolves) {
      const address = resolves[host];
      if (!address)
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return [{ address, family: 4 }];
    }
    return realLookup(host, options as dns.LookupAllOptions);
  }) as typeof dns.promises.lookup);
  service = await startPushService((token) => (token === 'gone-phone' ? 410 : 201));
  t = await startTestHub({
    // The push service is on loopback, which the hub reaches only when an admin allows it.
    BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
    BW_NOTIFY_POLL_MS: '100',
    BW_NOTIFY_RETRY_BASE_MS: '200',
  });
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
  await person('outsider', 'tenant_admin', other.tenant.id);
  ticketOf = async (subject) =>
    (
      await as.clerk!.post<{ ticket: { id: string; number: number } }>('/api/v1/portal/tickets', {
        subject,
        body: 'It does not work.',
        branchId: branch.id,
      })
    ).ticket;
});

afterAll(async () => {
  await t?.stop();
  await service?.close();
  vi.restoreAllMocks();
});

const subscriptions = async (who: string) =>
  (await as[who]!.get<PushState>('/api/v1/notify/push')).subscriptions;
const pushDeliveries = async () =>
  (await t.api.get<{ items: Delivery[] }>('/api/v1/notify/deliveries?channel=push')).items;

describe('web push', () => {
  it('delivers a reply to the requester’s phone, encrypted to it and signed by the hub', async () => {
    const clerk = as.clerk!;
    const { publicKey } = await clerk.get<PushState>('/api/v1/notify/push');
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    // The key is the hub's, made once: every person reads the same one.
    expect((await as.sara!.get<PushState>('/api/v1/notify/push')).publicKey).toBe(publicKey);

    const saved = await clerk.request(
      'PUT',
      '/api/v1/notify/push/subscriptions',
      service.subscribe('clerk-phone'),
    );
    expect(saved.status).toBe(200);
    await clerk.request('PUT', '/api/v1/notify/preferences', {
      language: 'fa',
      channels: ['push'],
    });

    const ticket = await ticketOf('Printer jammed');
    await as.sara!.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'A technician comes at noon.',
      visibility: 'public',
    });
    const push = await waitFor('the push message', async () =>
      service.delivered.find((d) => d.token === 'clerk-phone'),
    );
    const payload = JSON.parse(push.plaintext) as Record<string, string>;
    expect(payload).toEqual({
      title: `[#${ticket.number}] پاسخ جدید: Printer jammed`,
      body: expect.stringContaining('A technician comes at noon.'),
      url: `/tickets/${ticket.id}`,
      lang: 'fa',
    });
    expect(payload.body).toMatch(/^sara به تیکت/);
    // Signed with the key the browser subscribed with, for this push service, within a day.
    expect(push.serverKey).toBe(publicKey);
    expect(push.claims.sub).toBe('mailto:branchwatch@invalid');
    expect(push.ttl).toBe(86400);
    expect(service.refused).toEqual([]);
  });

  it('keeps each person to their own subscriptions, within their tenant', async () => {
    const [mine] = await subscriptions('clerk');
    expect(mine!.endpoint).toMatch(/\/push\/clerk-phone$/);
    expect(await subscriptions('sara')).toEqual([]);
    expect(await subscriptions('outsider')).toEqual([]);
    for (const who of ['sara', 'outsider']) {
      const res = await as[who]!.request('DELETE', `/api/v1/notify/push/subscriptions/${mine!.id}`);
      expect(res.status).toBe(404);
    }
    expect(await subscriptions('clerk')).toHaveLength(1);
  });

  it('forgets a subscription the push service says is gone (410)', async () => {
    await as.clerk!.request(
      'PUT',
      '/api/v1/notify/push/subscriptions',
      service.subscribe('gone-phone'),
    );
    expect(await subscriptions('clerk')).toHaveLength(2);
    const ticket = await ticketOf('Scanner offline');
    await as.sara!.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Restart it, please.',
      visibility: 'public',
    });
    await waitFor('the gone subscription forgotten', async () =>
      (await subscriptions('clerk')).length === 1 ? true : undefined,
    );
    expect((await subscriptions('clerk'))[0]!.endpoint).toMatch(/clerk-phone$/);
    const gone = (await pushDeliveries()).find((d) => d.lastError?.includes('410'));
    expect(gone).toMatchObject({ status: 'dead' });
    // The phone that is still subscribed had this one too.
    await waitFor('the phone’s message', async () =>
      service.delivered.find((d) => d.plaintext.includes('Scanner offline')),
    );
  });

  it('refuses push services on private and link-local addresses, like webhooks', async () => {
    const clerk = as.clerk!;
    const lan = await clerk.request('PUT', '/api/v1/notify/push/subscriptions', {
      ...service.subscribe('lan'),
      endpoint: 'https://push.branch-lan.test/push/lan',
    });
    expect(lan.status).toBe(400);
    expect(lan.body).toMatchObject({
      error: {
        code: 'BW_ERR_VALIDATION',
        details: { field: 'endpoint', reason: 'private_destination' },
      },
    });
    expect(JSON.stringify(lan.body)).toContain('10.20.30.40');

    // Not resolvable when subscribed (accepted: each delivery checks again), link-local later.
    const later = await clerk.request('PUT', '/api/v1/notify/push/subscriptions', {
      ...service.subscribe('later'),
      endpoint: 'https://push.later.test/push/later',
    });
    expect(later.status).toBe(200);
    resolves['push.later.test'] = '169.254.169.254';
    const ticket = await ticketOf('Camera dark');
    await as.sara!.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Checking the camera.',
      visibility: 'public',
    });
    const refused = await waitFor('the refused delivery', async () =>
      (await pushDeliveries()).find(
        (d) => d.address === (later.body.subscription as { id: string }).id && d.status === 'dead',
      ),
    );
    expect(refused.lastError).toContain(
      '169.254.169.254 is a loopback, link-local or private address',
    );
  });

  it('answers bad subscriptions with the field that is wrong', async () => {
    const good = service.subscribe('bad');
    for (const [body, field] of [
      [{ ...good, endpoint: 'ftp://push.example.test/x' }, 'endpoint'],
      [{ ...good, keys: { ...good.keys, p256dh: 'AAAA' } }, 'keys.p256dh'],
      [{ ...good, keys: { ...good.keys, auth: good.keys.p256dh } }, 'keys.auth'],
    ] as const) {
      const res = await as.clerk!.request('PUT', '/api/v1/notify/push/subscriptions', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});
