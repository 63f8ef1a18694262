import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../db/database.js';
import { hashPassword } from '../../identity/password.js';
import { ApiClient, waitFor } from '../../../../test/support/http.js';
import { batch, tcpResult } from '../../../../test/support/batches.js';
import { topics } from '@branchwatch/contract';
import { metric } from '../../../../test/support/metrics.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { NotifyRepository } from '../notify.repository.js';
import { NotifyService } from '../notify.service.js';
import { startReceiver } from '../test-support/receiver.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './signature.js';
import type { SessionUser } from '../../http/request-state.js';

// Webhooks through the real hub (HTTP API, events, outbox) to a receiver on loopback.
let t: TestHub;
/** A tenant admin: what an operator of one tenant does. */
let api: ApiClient;
let db: Database;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let tenantId: string;
let branchId: string;
let deadRecovers = false;
const SECRET = 'a-test-secret-of-enough-length';

interface Delivery {
  id: string;
  address: string;
  eventType: string;
  status: string;
  attempts: number;
  lastError: string | null;
  message: Record<string, unknown>;
}

const deliveries = async () =>
  (await api.get<{ items: Delivery[] }>('/api/v1/notify/deliveries?limit=500')).items;

beforeAll(async () => {
  receiver = await startReceiver((path, count) => {
    if (path === '/flaky') return count < 2 ? 500 : 204;
    if (path === '/dead') return deadRecovers ? 200 : 500;
    return 200;
  });
  t = await startTestHub({
    // The receiver is on loopback, which webhooks may reach only when an admin allows it.
    BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
    BW_NOTIFY_RETRY_BASE_MS: '200',
    BW_NOTIFY_RETRY_MAX_MS: '800',
    BW_NOTIFY_POLL_MS: '100',
    BW_NOTIFY_MAX_ATTEMPTS: '3',
    BW_NOTIFY_WEB_URL: 'https://noc.example.test/',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  tenantId = (await db('tenants').first('id')).id;
  await db('users').insert({
    username: 'nadia',
    role: 'tenant_admin',
    tenant_id: tenantId,
    password_hash: await hashPassword('password-123'),
  });
  api = new ApiClient(t.api.baseUrl);
  await api.login('nadia', 'password-123');
  // Inserted directly: the branch API is not what this test is about.
  [{ id: branchId }] = await db('branches')
    .insert({ tenant_id: tenantId, slug: 'shiraz-2', name: 'Shiraz 2' })
    .returning('id');
  const subscribe = (path: string, format: string, events: string[], secret?: string) =>
    api.post('/api/v1/notify/subscriptions', {
      tenantId,
      channel: 'webhook',
      address: receiver.url(path),
      format,
      events,
      ...(secret ? { secret } : {}),
    });
  await subscribe('/ok', 'json', ['ticket.opened', 'ticket.resolved'], SECRET);
  await subscribe('/flaky', 'slack', ['ticket.opened']);
  await subscribe('/dead', 'teams', ['ticket.opened']);
  await subscribe('/other', 'json', ['agent.offline']);
  await subscribe('/checks', 'json', ['check.failing', 'check.recovered']);
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await receiver?.close();
});

describe('webhooks', () => {
  let ticket: { id: string; number: number };

  it('posts a signed JSON payload when a ticket opens, and only to subscribers of it', async () => {
    ticket = (
      await api.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
        subject: 'Printer offline',
        body: 'The printer at the counter is offline.',
        branchId,
        priority: 'high',
      })
    ).ticket;
    const got = await waitFor('the /ok webhook', async () =>
      receiver.received.find((r) => r.path === '/ok'),
    );
    const timestamp = Number(got.headers[TIMESTAMP_HEADER.toLowerCase()]);
    const signature = String(got.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(120);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verify(SECRET, timestamp, got.body, signature)).toBe(true);
    expect(verify('another-secret-xxxxxxxx', timestamp, got.body, signature)).toBe(false);
    expect(verify(SECRET, timestamp + 1, got.body, signature)).toBe(false);
    const body = JSON.parse(got.body);
    expect(body.event).toBe('ticket.opened');
    expect(body.subject).toBe(`[#${ticket.number}] New ticket: Printer offline`);
    expect(body.data).toMatchObject({
      number: ticket.number,
      subject: 'Printer offline',
      priority: 'high',
      branch: 'Shiraz 2',
    });
    expect(body.url).toBe(`https://noc.example.test/tickets/${ticket.id}`);
    expect(receiver.received.filter((r) => r.path === '/other')).toHaveLength(0);
  });

  it('retries a failing receiver with backoff until it recovers (Slack blocks)', async () => {
    const sent = await waitFor('the flaky delivery to succeed', async () =>
      (await deliveries()).find((d) => d.address.endsWith('/flaky') && d.status === 'sent'),
    );
    expect(sent.attempts).toBe(3);
    const calls = receiver.received.filter((r) => r.path === '/flaky');
    expect(calls).toHaveLength(3);
    const slack = JSON.parse(calls[2]!.body);
    expect(slack.text).toContain('Printer offline');
    expect(slack.blocks[0]).toMatchObject({ type: 'header' });
    expect(slack.blocks[1].text.text).toContain('The printer at the counter is offline.');
    expect(calls[0]!.headers[SIGNATURE_HEADER.toLowerCase()]).toMatch(/^v1=/);
  });

  it('makes a dead letter after N tries, counts it, and resends it on request (Teams card)', async () => {
    const dead = await waitFor('the dead letter', async () =>
      (await deliveries()).find((d) => d.address.endsWith('/dead') && d.status === 'dead'),
    );
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toBe('HTTP 500');
    expect(dead.message).not.toHaveProperty('secret');
    const base = `http://127.0.0.1:${t.hub.httpPort}`;
    expect(await metric(base, 'bw_notify_deliveries_total{channel="webhook",outcome="dead"}')).toBe(
      1,
    );
    expect(
      await metric(base, 'bw_notify_deliveries_total{channel="webhook",outcome="failed"}'),
    ).toBe(4);
    // What the delivery log's UI is built on: dead letters per channel, and a channel filter.
    const notify = new NotifyService(new NotifyRepository(db), () => undefined, false);
    const nadia = { id: 'n/a', username: 'nadia', role: 'tenant_admin', tenantId } as SessionUser;
    // A delivery that failed twice and waits for its next try (made here: real ones retry
    // too fast to be caught waiting).
    const [{ id: waiting }] = await db('notify_outbox')
      .insert({
        tenant_id: tenantId,
        channel: 'webhook',
        address: receiver.url('/later'),
        event_type: 'ticket.opened',
        dedupe_key: 'test:retrying',
        message: JSON.stringify({ event: 'ticket.opened', subject: 's', text: 't', data: {} }),
        attempts: 2,
        last_error: 'HTTP 503',
        next_attempt_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id');
    const counts = await notify.deliveryCounts(nadia);
    expect(counts.dead).toBe(1);
    expect(counts.byChannel).toEqual([
      { channel: 'webhook', pending: 0, retrying: 1, sent: 2, dead: 1 },
    ]);
    const retrying = await notify.deliveries(nadia, 'retrying', 100, undefined);
    expect(retrying.map((d) => [d.id, d.status, d.lastError])).toEqual([
      [String(waiting), 'pending', 'HTTP 503'],
    ]);
    await db('notify_outbox').where({ id: waiting }).delete();
    const deadOnly = await notify.deliveries(nadia, 'dead', 100, 'webhook');
    expect(deadOnly.map((d) => d.id)).toEqual([dead.id]);
    expect(await notify.deliveries(nadia, 'dead', 100, 'email')).toEqual([]);
    deadRecovers = true;
    const res = await api.request('POST', `/api/v1/notify/deliveries/${dead.id}/resend`);
    expect(res.status).toBe(202);
    await waitFor('the resent delivery', async () =>
      (await deliveries()).find((d) => d.id === dead.id && d.status === 'sent'),
    );
    // Teams Workflows webhooks take an Adaptive Card in a message envelope.
    const posted = JSON.parse(receiver.received.filter((r) => r.path === '/dead').at(-1)!.body);
    expect(Object.keys(posted).sort()).toEqual(['attachments', 'type']);
    expect(posted.type).toBe('message');
    expect(posted.attachments).toHaveLength(1);
    expect(posted.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = posted.attachments[0].content;
    expect(card).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
    });
    expect(card.body.map((b: { type: string }) => b.type)).toEqual([
      'TextBlock',
      'TextBlock',
      'FactSet',
    ]);
    expect(card.body[0]).toEqual({
      type: 'TextBlock',
      text: `[#${ticket.number}] New ticket: Printer offline`,
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
    });
    expect(card.body[1].text).toBe(
      `Ticket #${ticket.number} "Printer offline" was opened at branch Shiraz 2.\n` +
        'Priority: high\n\nThe printer at the counter is offline.',
    );
    const facts = card.body[2].facts as { title: string; value: string }[];
    expect(facts).toContainEqual({ title: 'branch', value: 'Shiraz 2' });
    expect(facts).toContainEqual({ title: 'priority', value: 'high' });
    expect(facts).toContainEqual({ title: 'number', value: String(ticket.number) });
    expect(facts.map((f) => f.title)).not.toContain('deliveryId');
    expect(card.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: `Open ticket #${ticket.number}`,
        url: `https://noc.example.test/tickets/${ticket.id}`,
      },
    ]);
  });

  it('announces a resolution once, however often the ticket changes afterwards', async () => {
    const res = await api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'resolved' });
    expect(res.status).toBe(200);
    await api.request('PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'low' });
    const resolved = await waitFor('the resolved webhook', async () =>
      receiver.received.find((r) => r.path === '/ok' && r.body.includes('"ticket.resolved"')),
    );
    expect(JSON.parse(resolved.body).subject).toBe(`[#${ticket.number}] Resolved: Printer offline`);
    await new Promise((r) => setTimeout(r, 500));
    const onOk = receiver.received
      .filter((r) => r.path === '/ok')
      .map((r) => JSON.parse(r.body).event);
    expect(onOk).toEqual(['ticket.opened', 'ticket.resolved']);
  });

  it("announces a check's failure and recovery, but not a new check's first good round", async () => {
    const issued = await t.api.createAgent('tabriz-1', 'srv');
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    try {
      const topic = topics.results({ tenant: 'default', branch: 'tabriz-1', agent: 'srv' });
      let seq = 0;
      let clock = Date.now() - 60_000;
      const round = (ok: boolean) =>
        publish(
          client,
          topic,
          JSON.stringify(batch('srv', ++seq, [tcpResult('uplink', new Date((clock += 1000)), ok)])),
        );
      // unknown → ok, then ok → failing, then failing → ok.
      await round(true);
      for (let i = 0; i < 3; i++) await round(false);
      for (let i = 0; i < 3; i++) await round(true);
      await waitFor('the recovery webhook', async () =>
        receiver.received.find((r) => r.path === '/checks' && r.body.includes('"check.recovered"')),
      );
      await new Promise((r) => setTimeout(r, 500));
      const onChecks = receiver.received
        .filter((r) => r.path === '/checks')
        .map((r) => JSON.parse(r.body).event);
      expect(onChecks).toEqual(['check.failing', 'check.recovered']);
      // The first verdict is still recorded (flapping counts it).
      const changes = await db('check_state_changes as s')
        .join('checks as c', 'c.id', 's.check_id')
        .where({ 'c.agent_id': issued.agent.id, 'c.key': 'uplink' })
        .orderBy('s.at')
        .select('s.to');
      expect(changes.map((c: { to: string }) => c.to)).toEqual(['ok', 'failing', 'ok']);
    } finally {
      client.end(true);
    }
  });

  it('refuses a webhook subscription to a private, loopback or link-local address, naming the field', async () => {
    // This hub allows 127.0.0.1 (its receiver) and nothing else of those networks.
    for (const address of [
      'http://10.20.30.40/hook',
      'http://127.0.0.2:9/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/hook',
      'http://[::ffff:192.168.0.1]/hook',
    ]) {
      const res = await api.request('POST', '/api/v1/notify/subscriptions', {
        tenantId,
        channel: 'webhook',
        address,
        events: ['ticket.opened'],
      });
      expect([address, res.status]).toEqual([address, 400]);
      expect(res.body).toMatchObject({
        error: {
          code: 'BW_ERR_VALIDATION',
          details: { field: 'address', reason: 'private_destination' },
          message: expect.stringMatching(
            /^address: refused: .* is a loopback, link-local or private address/,
          ),
        },
      });
    }
    const allowed = await api.request('POST', '/api/v1/notify/subscriptions', {
      tenantId,
      channel: 'webhook',
      address: 'http://127.0.0.1:9/allowed',
      events: ['digest.daily'],
    });
    expect(allowed.status).toBe(201);
    const { id } = (allowed.body as { subscription: { id: string } }).subscription;
    expect((await api.request('DELETE', `/api/v1/notify/subscriptions/${id}`)).status).toBe(204);
  });

  it('refuses a webhook subscription without an http(s) URL', async () => {
    const res = await api.request('POST', '/api/v1/notify/subscriptions', {
      tenantId,
      channel: 'webhook',
      address: 'ftp://example.org/x',
      events: ['ticket.opened'],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'BW_ERR_VALIDATION',
        message: 'address: a webhook address must be an http(s) URL',
      },
    });
  });
});
