import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { checkAnswers, checkedRoutes } from '../define.js';

// The document's answer schemas are written by hand: this holds real answers of a real hub
// (its own PostgreSQL, real HTTP) against them, so a schema that drifts from what a route
// sends fails here, naming the route and the field.
let t: TestHub;
const problems: string[] = [];

type Body = Record<string, unknown>;
/** One request; fails unless the hub answers `status`. */
async function call(method: string, path: string, body?: unknown, status = 200): Promise<Body> {
  const res = await t.api.request(method, path, body);
  if (res.status !== status)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const idOf = (body: Body, key: string) => (body[key] as { id: string }).id;

beforeAll(async () => {
  t = await startTestHub();
  checkAnswers((problem) => problems.push(problem));
});
afterAll(async () => {
  checkAnswers(undefined);
  await t?.stop();
});

describe('answers of the running hub', () => {
  it('match the schemas of the OpenAPI document', { timeout: 120_000 }, async () => {
    const v1 = '/api/v1';
    await call('GET', '/healthz');
    await call('GET', '/readyz');
    await call('GET', `${v1}/openapi.json`);

    // Identity
    await call('GET', `${v1}/auth/me`);
    await call('GET', `${v1}/auth/sessions`);
    await call('GET', `${v1}/auth/2fa`);
    await call('POST', `${v1}/auth/tokens`, { name: 'ci', scopes: ['tickets.read'] }, 201);
    await call('GET', `${v1}/auth/tokens`);
    await call('GET', `${v1}/audit?limit=5`);
    const tenants = (await call('GET', `${v1}/tenants`)).items as { id: string }[];
    const tenantId = tenants[0]!.id;
    await call('POST', `${v1}/tenants`, { slug: 'second', name: 'Second' }, 201);
    const role = await call('POST', `${v1}/roles`, { name: 'r', permissions: [], tenantId }, 201);
    await call('PATCH', `${v1}/roles/${idOf(role, 'role')}`, { permissions: ['tickets.read'] });
    await call('GET', `${v1}/roles`);
    const user = await call(
      'POST',
      `${v1}/users`,
      { username: 'ana', password: 'password-123', role: 'support_agent', tenantId },
      201,
    );
    const userId = idOf(user, 'user');
    await call('PATCH', `${v1}/users/${userId}`, { disabled: false });
    await call('GET', `${v1}/users`);

    // Inventory, checks, series, topology, enrollment
    const branch = await call('POST', `${v1}/branches`, { slug: 'hq', name: 'HQ' }, 201);
    const branchId = idOf(branch, 'branch');
    await call('GET', `${v1}/branches`);
    const agent = await call('POST', `${v1}/agents`, { branchId, slug: 'srv-01' }, 201);
    const agentId = idOf(agent, 'agent');
    await call('GET', `${v1}/agents`);
    const newCheck = (key: string) =>
      call(
        'POST',
        `${v1}/agents/${agentId}/checks`,
        { key, type: 'icmp', target: '127.0.0.1' },
        201,
      );
    const wan = idOf(await newCheck('wan'), 'check');
    const phone = idOf(await newCheck('phone'), 'check');
    await call('PATCH', `${v1}/checks/${phone}`, { intervalSeconds: 30 });
    await call('GET', `${v1}/checks`);
    await call('GET', `${v1}/agents/${agentId}/config`);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    await call('GET', `${v1}/checks/${wan}/series?from=${hourAgo}`);
    await call('GET', `${v1}/branches/${branchId}/topology`);
    await call('GET', `${v1}/events`);
    await call('POST', `${v1}/enrollment-tokens`, { branchId }, 201);
    await call('GET', `${v1}/agent-releases`);
    const group = await call('POST', `${v1}/rollout-groups`, { name: 'pilot', tenantId }, 201);
    // null: no target (a version needs an uploaded, signed release).
    await call('PUT', `${v1}/rollout-groups/${idOf(group, 'group')}/target`, {
      targetVersion: null,
    });
    await call('GET', `${v1}/agents/${agentId}/update`);

    // Alerts
    await call('GET', `${v1}/alerts/rules/defaults`);
    await call('PUT', `${v1}/alerts/rules`, { scope: 'branch', scopeId: branchId, failRounds: 5 });
    await call('GET', `${v1}/alerts/rules`);
    await call('GET', `${v1}/alerts/checks/${phone}/policy`);
    const soon = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
    const window = { scope: 'branch', scopeId: branchId, startsAt: soon(1), endsAt: soon(2) };
    await call('POST', `${v1}/alerts/maintenance`, window, 201);
    await call(
      'POST',
      `${v1}/alerts/maintenance`,
      {
        scope: 'branch',
        scopeId: branchId,
        weekly: { fri: ['00:00-06:00'] },
        zone: 'Asia/Tehran',
      },
      201,
    );
    await call('GET', `${v1}/alerts/maintenance`);
    await call('POST', `${v1}/alerts/parents`, { parentCheckId: wan, childCheckId: phone }, 201);
    await call('GET', `${v1}/alerts/parents`);
    await call('GET', `${v1}/alerts/agents/${agentId}/outages`);

    // Helpdesk
    const support = await call('POST', `${v1}/support-groups`, { name: 'Desk' }, 201);
    const groupId = idOf(support, 'group');
    await call('GET', `${v1}/support-groups`);
    await call('PATCH', `${v1}/support-groups/${groupId}`, { assignment: 'round_robin' });
    await call('PUT', `${v1}/support-groups/${groupId}/members/${userId}`, { away: true });
    await call('GET', `${v1}/support-groups/${groupId}`);
    await call('POST', `${v1}/canned-replies`, { name: 'thanks', body: 'Thank you' }, 201);
    await call('GET', `${v1}/canned-replies`);
    const calendar = await call(
      'POST',
      `${v1}/sla/calendars`,
      {
        name: 'Tehran',
        spec: {
          zone: 'Asia/Tehran',
          week: { sat: ['08:00-16:00'], sun: ['08:00-16:00'] },
          holidays: [{ jalaliAnnual: '01-01', name: 'Nowruz' }],
        },
      },
      201,
    );
    const calendarId = idOf(calendar, 'calendar');
    await call('PATCH', `${v1}/sla/calendars/${calendarId}`, { name: 'Tehran office' });
    await call('GET', `${v1}/sla/calendars`);
    const policy = await call(
      'POST',
      `${v1}/sla/policies`,
      {
        name: 'Standard',
        calendarId,
        firstResponseMs: 3600_000,
        resolutionMs: 8 * 3600_000,
        escalations: [{ name: 'late', offsetMs: 0, action: 'notify' }],
      },
      201,
    );
    await call('PATCH', `${v1}/sla/policies/${idOf(policy, 'policy')}`, { warningShare: 0.5 });
    await call('GET', `${v1}/sla/policies`);
    const month = new Date().toISOString().slice(0, 7);
    await call('GET', `${v1}/branches/${branchId}/availability?month=${month}`);

    // Tickets
    const opened = await call(
      'POST',
      `${v1}/tickets`,
      { subject: 'Phones down', body: 'No dial tone', branchId, groupId },
      201,
    );
    const ticketId = idOf(opened, 'ticket');
    const other = idOf(
      await call('POST', `${v1}/tickets`, { subject: 'b', body: 'b', branchId }, 201),
      'ticket',
    );
    await call('PATCH', `${v1}/tickets/${ticketId}`, { state: 'in_progress', priority: 'high' });
    await call('POST', `${v1}/tickets/${ticketId}/replies`, { body: 'On it @ana' }, 201);
    await call('POST', `${v1}/tickets/${ticketId}/tags`, { tag: 'voip' }, 201);
    await call('POST', `${v1}/tickets/${ticketId}/tags`, { tag: 'voip' }, 200);
    await call('POST', `${v1}/tickets/${ticketId}/links`, { ticketId: other }, 204);
    await call('POST', `${v1}/tickets/bulk`, {
      ids: [other, '00000000-0000-4000-8000-000000000000'],
      action: { action: 'tag', tag: 'bulk' },
    });
    const { token } = await call('POST', `${v1}/auth/login`, {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    // The raw body is the file (ApiClient sends JSON only).
    const upload = await fetch(`${t.api.baseUrl}${v1}/tickets/${ticketId}/attachments?name=a.txt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token as string}`, 'content-type': 'text/plain' },
      body: 'trace',
    });
    expect(upload.status).toBe(201);
    await call('GET', `${v1}/tickets?limit=1`);
    await call('GET', `${v1}/tickets/${ticketId}`);
    await call('PUT', `${v1}/alerts/tickets/${ticketId}/priority`, { priority: 'urgent' }, 204);

    // Notifications and reports
    await call('GET', `${v1}/notify/preferences`);
    await call('PUT', `${v1}/notify/preferences`, { language: 'fa', events: ['ticket.opened'] });
    await call('GET', `${v1}/notify/preferences`);
    // Loopback is not allowed on this hub: refused when subscribed, naming the field.
    await call(
      'POST',
      `${v1}/notify/subscriptions`,
      { channel: 'webhook', address: 'http://127.0.0.1:9/hook', events: ['ticket.opened'] },
      400,
    );
    const list = await call(
      'POST',
      `${v1}/notify/subscriptions`,
      { channel: 'email', address: 'noc-list@branchwatch.test', events: ['ticket.opened'] },
      201,
    );
    // No SMTP server on this hub: the test says the channel is not set up.
    const tested = await call(
      'POST',
      `${v1}/notify/subscriptions/${idOf(list, 'subscription')}/test`,
    );
    expect(tested.result).toMatchObject({ delivered: false, reason: 'not_configured' });
    await call('GET', `${v1}/notify/subscriptions`);
    await call('GET', `${v1}/notify/deliveries`);
    const from = new Date(Date.now() - 86400_000).toISOString();
    const to = new Date(Date.now() + 86400_000).toISOString();
    await call('GET', `${v1}/reports/tickets?from=${from}&to=${to}&groupBy=branch`);

    expect(problems).toEqual([]);
    // The walk reached what it meant to: a route it missed would check nothing.
    expect(checkedRoutes().size).toBeGreaterThanOrEqual(70);
  });
  it('match for removals, files, enrollment and the rest', { timeout: 120_000 }, async () => {
    const v1 = '/api/v1';
    type Items = { items: (Body & { id: string })[] };
    const list = async (path: string) => ((await call('GET', `${v1}${path}`)) as Items).items;
    const removeAll = async (path: string) => {
      for (const { id } of await list(path))
        await call('DELETE', `${v1}${path}/${id}`, undefined, 204);
    };
    const [branch] = await list('/branches');
    const branchId = branch!.id;
    const ana = (await list('/users')).find((u) => u.username === 'ana')!;

    await call('POST', `${v1}/auth/2fa/enrol`, {});
    await removeAll('/auth/tokens');
    await call('DELETE', `${v1}/auth/sessions`);
    await call('GET', '/install.sh');
    await call('GET', '/metrics');
    const { token } = await call(
      'POST',
      `${v1}/enrollment-tokens`,
      { branchId, agentSlug: 'srv-02' },
      201,
    );
    await call('POST', `${v1}/enroll`, { token }, 201);

    const checks = await list('/checks');
    const phone = checks.find((c) => c.key === 'phone')!.id;
    const wan = checks.find((c) => c.key === 'wan')!.id;
    await call('PUT', `${v1}/alerts/checks/${wan}/role`, { role: 'wan' }, 204);
    await call('PUT', `${v1}/alerts/branches/${branchId}`, { criticality: 'high' }, 204);
    await removeAll('/alerts/maintenance');
    await removeAll('/alerts/parents');
    await call('DELETE', `${v1}/alerts/rules/branch/${branchId}/*`, undefined, 204);
    await call('DELETE', `${v1}/checks/${phone}`, undefined, 204);

    const [ticket, other] = await list('/tickets?limit=2&sort=number&order=asc');
    const tickets = `${v1}/tickets/${ticket!.id}`;
    await call('POST', `${tickets}/watchers`, { userId: ana.id }, 204);
    await call('DELETE', `${tickets}/watchers/${ana.id}`, undefined, 204);
    await call('DELETE', `${tickets}/tags/voip`, undefined, 204);
    const { attachments } = (await call('GET', tickets)) as { attachments: { id: string }[] };
    await call('GET', `${tickets}/attachments/${attachments[0]!.id}`);
    await call('GET', `${v1}/tickets/export.csv`);
    await call('POST', `${v1}/tickets/${other!.id}/merge`, { into: ticket!.id }, 204);

    const temp = await call('POST', `${v1}/support-groups`, { name: 'Temp' }, 201);
    const group = `${v1}/support-groups/${idOf(temp, 'group')}`;
    await call('PUT', `${group}/members/${ana.id}`, { away: false });
    await call('DELETE', `${group}/members/${ana.id}`, undefined, 204);
    await call('DELETE', group, undefined, 204);
    await removeAll('/canned-replies');
    const spec = { zone: 'UTC', week: { mon: ['09:00-17:00'] } };
    const calendar = await call('POST', `${v1}/sla/calendars`, { name: 'Temp', spec }, 201);
    const calendarId = idOf(calendar, 'calendar');
    const policy = await call('POST', `${v1}/sla/policies`, { name: 'Temp', calendarId }, 201);
    await call('DELETE', `${v1}/sla/policies/${idOf(policy, 'policy')}`, undefined, 204);
    await call('DELETE', `${v1}/sla/calendars/${calendarId}`, undefined, 204);

    await removeAll('/notify/subscriptions');
    const role = (await list('/roles')).find((r) => r.name === 'r')!;
    await call('DELETE', `${v1}/roles/${role.id}`, undefined, 204);
    await call('POST', `${v1}/auth/logout`, undefined, 204);

    expect(problems).toEqual([]);
    expect(checkedRoutes().size).toBeGreaterThanOrEqual(95);
  });
});
