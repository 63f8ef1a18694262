import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, startHub, type RunningHub } from '../index.js';
import { connectDatabase, type Database } from '../db/database.js';
import { hashPassword } from '../identity/password.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { ApiClient, waitFor } from '../../../test/support/http.js';
import { agentStatusPayload, batch, tcpResult } from '../../../test/support/batches.js';
import { ADMIN_PASSWORD, connectAgent, publish } from '../../../test/support/hub.js';
import { topics } from '@branchwatch/contract';
import { stream } from '../../../test/support/sse.js';

// Live events across two hub processes on ONE database (LISTEN/NOTIFY), scoped by tenant.
// startTestHub gives each hub its own database, so this file starts both on the same URL.

const until = <T>(probe: () => T | undefined, timeoutMs: number) =>
  waitFor('a live event', async () => probe(), timeoutMs);

const hubs: RunningHub[] = [];
let db: Database;
let databaseUrl: string;
const base = (hub: RunningHub) => `http://127.0.0.1:${hub.httpPort}`;

async function startOnSharedDatabase() {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: '0',
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: '0',
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const hub = await startHub(config, createLogger(process.env.BW_TEST_LOG ?? 'silent'));
  hubs.push(hub);
  return hub;
}

async function login(hub: RunningHub, username: string, password: string) {
  const res = await fetch(`${base(hub)}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function person(username: string, tenantSlug: string, role = 'support_agent') {
  const tenant = await db('tenants').where('slug', tenantSlug).first('id');
  await db('users').insert({
    username,
    role,
    tenant_id: tenant.id,
    password_hash: await hashPassword('password-123'),
  });
}

let hubA: RunningHub;
let hubB: RunningHub;
// The people act through hub B, the streams listen on hub A.
const onB: Record<string, ApiClient> = {};

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  hubA = await startOnSharedDatabase();
  hubB = await startOnSharedDatabase();
  db = connectDatabase(databaseUrl, { min: 0, max: 2 });
  await db('tenants').insert({ slug: 'acme', name: 'Acme' });
  await person('ana', 'default');
  await person('bob', 'acme');
  await person('tara', 'default', 'tenant_admin');
  for (const name of ['ana', 'bob', 'tara']) {
    onB[name] = new ApiClient(base(hubB));
    await onB[name].login(name, 'password-123');
  }
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  for (const hub of hubs) await hub.stop();
});

describe('GET /api/v1/events/stream', () => {
  it('answers 401 without a session', async () => {
    const res = await fetch(`${base(hubA)}/api/v1/events/stream`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'BW_ERR_UNAUTHENTICATED' } });
  });

  it('refuses a person without tickets.read with a plain 403, which EventSource does not retry', async () => {
    // WHATWG HTML §9.2.3: an answer that is not a 200 event stream fails the connection for
    // good (no reconnection); the web UI then asks once why and stays with polling.
    await person('clerk', 'default', 'requester');
    const token = await login(hubA, 'clerk', 'password-123');
    const res = await fetch(`${base(hubA)}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toContain('retry:');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'BW_ERR_FORBIDDEN' } });
    // Their own stream is the portal's.
    const portal = await fetch(`${base(hubA)}/api/v1/portal/events/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    expect(portal.status).toBe(200);
    expect(portal.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await portal.body?.cancel();
  });

  it("delivers on hub A what happened on hub B, only to the ticket's tenant", async () => {
    const ana = stream(base(hubA), await login(hubA, 'ana', 'password-123'));
    const bob = stream(base(hubA), await login(hubA, 'bob', 'password-123'));
    try {
      const [anaRes, bobRes] = await Promise.all([ana.opened, bob.opened]);
      expect(anaRes.status).toBe(200);
      expect(anaRes.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(bobRes.status).toBe(200);

      // Branches straight into the database: creating them is not what this test is about.
      const branch = async (slug: string, tenant: string) => {
        const { id } = await db('tenants').where('slug', tenant).first('id');
        const [row] = await db('branches')
          .insert({ tenant_id: id, slug, name: slug })
          .returning('id');
        return row.id as string;
      };
      const open = async (who: string, branchId: string, subject: string) =>
        (
          await onB[who]!.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
            subject,
            body: 'seen from the other hub',
            branchId,
          })
        ).ticket.id;

      // First a ticket of the default tenant, then one of acme, both through hub B.
      const defaultTicket = await open('ana', await branch('tabriz', 'default'), 'Default tenant');
      const acmeTicket = await open('bob', await branch('acme-hq', 'acme'), 'Acme tenant');

      const bobGot = await until(
        () => bob.messages.find((m) => m.data.ticketId === acmeTicket),
        15_000,
      );
      expect(bobGot).toMatchObject({ event: 'ticket.changed', data: { type: 'ticket.changed' } });
      const anaGot = await until(
        () => ana.messages.find((m) => m.data.ticketId === defaultTicket),
        15_000,
      );
      expect(anaGot.event).toBe('ticket.changed');

      // One channel, delivered in order: by the time each saw its own tenant's later event
      // it would have seen the other's, had it been let through.
      const acmeTenant = (await db('tenants').where('slug', 'acme').first('id')).id;
      expect(bob.messages.length).toBeGreaterThan(0);
      expect(bob.messages.every((m) => m.data.tenantId === acmeTenant)).toBe(true);
      expect(bob.messages.map((m) => m.data.ticketId)).not.toContain(defaultTicket);
      await until(() => ana.messages.find((m) => m.data.ticketId === defaultTicket), 1000);
      expect(ana.messages.every((m) => m.data.tenantId !== acmeTenant)).toBe(true);
    } finally {
      ana.close();
      bob.close();
    }
  }, 60_000);

  it("streams an agent coming online on hub B to its tenant's users on hub A", async () => {
    const ana = stream(base(hubA), await login(hubA, 'ana', 'password-123'));
    try {
      expect((await ana.opened).status).toBe(200);
      const issued = await onB.tara!.createAgent('shiraz', 'edge-1');
      const mqttPort = hubB.mqttPort;
      const agent = await connectAgent(`mqtt://127.0.0.1:${mqttPort}`, issued.credentials);
      try {
        const address = { tenant: 'default', branch: 'shiraz', agent: 'edge-1' };
        await publish(agent, topics.status(address), agentStatusPayload('edge-1', 'online'));
        const got = await until(
          () =>
            ana.messages.find(
              (m) => m.event === 'agent.statusChanged' && m.data.agentId === issued.agent.id,
            ),
          15_000,
        );
        expect(got.data).toMatchObject({ type: 'agent.statusChanged', online: true });
      } finally {
        agent.end(true);
      }
    } finally {
      ana.close();
    }
  }, 60_000);

  it("streams new checks' first good rounds on hub B to its tenant on hub A", async () => {
    const ana = stream(base(hubA), await login(hubA, 'ana', 'password-123'));
    try {
      expect((await ana.opened).status).toBe(200);
      const issued = await onB.tara!.createAgent('qom', 'edge-3');
      const agent = await connectAgent(`mqtt://127.0.0.1:${hubB.mqttPort}`, issued.credentials);
      try {
        const address = { tenant: 'default', branch: 'qom', agent: 'edge-3' };
        // Two new checks, each unknown → ok: emitted by ingest as one set of first verdicts.
        const at = new Date(Date.now() - 60_000);
        const rounds = [tcpResult('erp', at, true), tcpResult('voip', at, true)];
        await publish(agent, topics.results(address), JSON.stringify(batch('edge-3', 1, rounds)));
        const got = await until(() => {
          const mine = ana.messages.filter(
            (m) => m.event === 'check.stateChanged' && m.data.agentId === issued.agent.id,
          );
          return mine.length === 2 ? mine : undefined;
        }, 15_000);
        expect(got.map((m) => m.data)).toEqual([
          expect.objectContaining({ type: 'check.stateChanged', to: 'ok' }),
          expect.objectContaining({ type: 'check.stateChanged', to: 'ok' }),
        ]);
      } finally {
        agent.end(true);
      }
    } finally {
      ana.close();
    }
  }, 60_000);

  it('streams a ticket the hub opened from an alert on hub B to its tenant on hub A', async () => {
    const ana = stream(base(hubA), await login(hubA, 'ana', 'password-123'));
    try {
      expect((await ana.opened).status).toBe(200);
      const issued = await onB.tara!.createAgent('yazd', 'edge-2');
      const agent = await connectAgent(`mqtt://127.0.0.1:${hubB.mqttPort}`, issued.credentials);
      try {
        const address = { tenant: 'default', branch: 'yazd', agent: 'edge-2' };
        // Three failed rounds: the check turns failing and the hub opens its ticket itself.
        const failing = [3, 2, 1].map((m) =>
          tcpResult('intranet', new Date(Date.now() - m * 60_000), false),
        );
        await publish(agent, topics.results(address), JSON.stringify(batch('edge-2', 1, failing)));
        const ticket = await waitFor(
          'the alert ticket',
          async () =>
            (await db('tickets').where({ agent_id: issued.agent.id, source: 'alert' }).first()) as
              { id: string; tenant_id: string } | undefined,
          20_000,
        );
        const got = await until(
          () =>
            ana.messages.find((m) => m.event === 'ticket.changed' && m.data.ticketId === ticket.id),
          15_000,
        );
        expect(got.data).toMatchObject({ type: 'ticket.changed', tenantId: ticket.tenant_id });
      } finally {
        agent.end(true);
      }
    } finally {
      ana.close();
    }
  }, 60_000);
});
