import type { MqttClient } from 'mqtt';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch, icmpResult, tcpResult } from '../support/batches.js';
import { connectAgent, publish, type TestHub } from '../support/hub.js';

/**
 * A hub with something on every page, for walking them: two tenants, branches with and
 * without agents (one named in Persian, to show mixed directions), agents reporting ok and
 * failing checks (so an alert ticket opens), a ticket a person opened with a reply, a support
 * agent limited to one branch, a support group and a canned reply, an alert rule, a
 * maintenance window, an SLA calendar and policy, and a webhook channel whose receiver is
 * not there (so the delivery log has failures).
 */
export interface WalkSeed {
  hqBranch: string;
  shirazBranch: string;
  hqAgent: string;
  alertTicket: string;
  personTicket: string;
  clients: MqttClient[];
  /** Every name and value the seed wrote: text a page may show as it is. */
  data: string[];
}

export const SEED_PASSWORD = 'walk-password-123';

async function agentOnline(client: MqttClient, address: Parameters<typeof topics.status>[0]) {
  const status = { v: 1, agent: address.agent, state: 'online', at: new Date().toISOString() };
  await publish(client, topics.status(address), JSON.stringify(status));
}

export async function seedWalk(t: TestHub): Promise<WalkSeed> {
  const api = t.api;
  const { items: tenants } = await api.get<{ items: { id: string; slug: string }[] }>(
    '/api/v1/tenants',
  );
  const tenantId = tenants.find((x) => x.slug === 'default')!.id;
  await api.post('/api/v1/tenants', { slug: 'acme', name: 'Acme Retail' });

  const hq = await api.createAgent('hq', 'srv-hq');
  const shiraz = await api.createAgent('shiraz', 'srv-sh');
  await api.post('/api/v1/branches', {
    slug: 'tabriz',
    name: 'شعبه تبریز',
  });
  const { items: branches } = await api.get<{ items: { id: string; slug: string }[] }>(
    '/api/v1/branches',
  );
  const branchId = (slug: string) => branches.find((b) => b.slug === slug)!.id;
  await api.request('PATCH', `/api/v1/branches/${branchId('hq')}`, {
    name: 'Head office',
    address: '12 Valiasr Street, Tehran',
    latitude: 35.6892,
    longitude: 51.389,
    timeZone: 'Asia/Tehran',
  });
  await api.request('PATCH', `/api/v1/branches/${branchId('shiraz')}`, { name: 'Shiraz' });

  const hqClient = await connectAgent(t.mqttUrl, hq.credentials);
  const shClient = await connectAgent(t.mqttUrl, shiraz.credentials);
  const hqAddress = { tenant: 'default', branch: 'hq', agent: 'srv-hq' };
  const shAddress = { tenant: 'default', branch: 'shiraz', agent: 'srv-sh' };
  await agentOnline(hqClient, hqAddress);
  await agentOnline(shClient, shAddress);

  // Twenty minutes of rounds: the WAN ping is fine, the PBX's port stops answering.
  const start = Date.now() - 21 * 60_000;
  const hqRounds: ProbeResult[] = [];
  const shRounds: ProbeResult[] = [];
  for (let i = 0; i < 20; i += 1) {
    const at = new Date(start + i * 60_000);
    hqRounds.push(icmpResult('wan-ping', at, i % 7 === 3 ? 10 : 0, 22 + (i % 4), '203.0.113.1'));
    hqRounds.push(tcpResult('pbx-sip', new Date(at.getTime() + 1000), i < 15));
    shRounds.push(icmpResult('wan-ping', at, 0, 35, '198.51.100.7'));
  }
  await publish(hqClient, topics.results(hqAddress), JSON.stringify(batch('srv-hq', 1, hqRounds)));
  await publish(shClient, topics.results(shAddress), JSON.stringify(batch('srv-sh', 1, shRounds)));

  // A check the hub manages, beside the agent's own.
  await api.post(`/api/v1/agents/${hq.agent.id}/checks`, {
    key: 'dns-resolver',
    type: 'dns',
    target: 'example.org',
    options: { server: '192.0.2.53' },
  });

  const opened = await waitForAlertTicket(t);
  const { ticket } = await api.post<{ ticket: { id: string } }>('/api/v1/tickets', {
    subject: 'Printer in the Shiraz branch is offline',
    body: 'Called at 10:05: the receipt printer shows an error light.',
    branchId: branchId('shiraz'),
    priority: 'high',
  });
  await api.post(`/api/v1/tickets/${ticket.id}/replies`, {
    body: 'We are sending someone this afternoon.',
  });

  await api.post('/api/v1/users', {
    username: 'sara',
    password: SEED_PASSWORD,
    role: 'support_agent',
    tenantId,
    branchIds: [branchId('shiraz')],
  });
  await api.post('/api/v1/users', {
    username: 'noc-night',
    password: SEED_PASSWORD,
    role: 'noc_operator',
    tenantId,
  });
  // The tenant's own admin: the admin pages as they are without the hub-wide rights.
  await api.post('/api/v1/users', {
    username: 'tenant-admin',
    password: SEED_PASSWORD,
    role: 'tenant_admin',
    tenantId,
  });
  await api.post('/api/v1/support-groups', { name: 'Field service', tenantId });
  await api.post('/api/v1/canned-replies', {
    name: 'On our way',
    body: 'A technician is on the way.',
    tenantId,
  });

  await api.request('PUT', '/api/v1/alerts/rules', {
    scope: 'branch',
    scopeId: branchId('hq'),
    checkType: 'icmp',
    thresholds: [{ field: 'loss', op: '>', value: 20 }],
    failRounds: 4,
  });
  const inAWeek = Date.now() + 7 * 86_400_000;
  await api.post('/api/v1/alerts/maintenance', {
    scope: 'branch',
    scopeId: branchId('shiraz'),
    reason: 'Router firmware upgrade',
    startsAt: new Date(inAWeek).toISOString(),
    endsAt: new Date(inAWeek + 2 * 3_600_000).toISOString(),
  });
  await api.post('/api/v1/alerts/maintenance', {
    scope: 'branch',
    scopeId: branchId('hq'),
    reason: 'Weekly backup',
    recurrence: { rule: 'FREQ=WEEKLY;BYDAY=FR', from: '2026-12-04', start: '22:00', end: '02:00' },
  });
  const { calendar } = await api.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
    name: 'Tehran office hours',
    spec: {
      zone: 'Asia/Tehran',
      week: Object.fromEntries(
        ['sat', 'sun', 'mon', 'tue', 'wed'].map((d) => [d, ['08:00-16:00']]),
      ),
      holidays: [],
    },
  });
  await api.post('/api/v1/sla/policies', {
    name: 'Standard',
    calendarId: calendar.id,
    firstResponseMs: 4 * 3_600_000,
    resolutionMs: 24 * 3_600_000,
  });
  // Nothing listens on port 9 of loopback: deliveries fail and are retried.
  await api.post('/api/v1/notify/subscriptions', {
    channel: 'webhook',
    address: 'http://127.0.0.1:9/branchwatch',
    format: 'json',
    language: 'en',
    events: ['ticket.opened'],
  });

  return {
    hqBranch: branchId('hq'),
    shirazBranch: branchId('shiraz'),
    hqAgent: hq.agent.id,
    alertTicket: opened,
    personTicket: ticket.id,
    clients: [hqClient, shClient],
    data: [
      'Acme Retail',
      'Head office',
      '12 Valiasr Street, Tehran',
      'Shiraz',
      'شعبه تبریز',
      'Printer in the Shiraz branch is offline',
      'Called at 10:05: the receipt printer shows an error light.',
      'We are sending someone this afternoon.',
      'Field service',
      'On our way',
      'A technician is on the way.',
      'Router firmware upgrade',
      'Weekly backup',
      'Tehran office hours',
      'Standard',
      'tabriz',
      // The reason the agent's TCP probe gave: the operating system's words, shown as they are.
      'connection refused',
    ],
  };
}

/** The ticket the PBX check's failures opened. */
async function waitForAlertTicket(t: TestHub): Promise<string> {
  for (let i = 0; i < 150; i += 1) {
    const { items } = await t.api.get<{ items: { id: string; source: string }[] }>(
      '/api/v1/tickets?state=active',
    );
    const alert = items.find((x) => x.source === 'alert');
    if (alert) return alert.id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no alert ticket opened for the failing PBX check');
}
