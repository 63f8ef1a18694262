import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * A recurring maintenance window against a real hub: failures inside an occurrence open no
 * ticket, and the check gets its ticket once the occurrence is over. The hub's own sweep is
 * left for an hour; the test moves time through the sweep instead of waiting.
 */

let t: TestHub;
let db: Database;
const clients: MqttClient[] = [];

beforeAll(async () => {
  t = await startTestHub({ BW_ALERT_SWEEP_SECONDS: '3600' });
  db = connectDatabase(t.databaseUrl);
});
afterAll(async () => {
  for (const c of clients) c.end(true);
  await db?.destroy();
  await t?.stop();
});

/** The wall clock of Tehran at `at`: its day and its HH:MM. */
function tehran(at: Date) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tehran',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const p = (type: string) => parts.find((x) => x.type === type)!.value;
  return { day: `${p('year')}-${p('month')}-${p('day')}`, time: `${p('hour')}:${p('minute')}` };
}

describe('a recurring maintenance window', () => {
  it("holds back tickets during an occurrence on the branch's clock, and not after it", async () => {
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'rec',
      name: 'Recurring',
    });
    const zoned = await t.api.request('PATCH', `/api/v1/branches/${branch.id}`, {
      timeZone: 'Asia/Tehran',
    });
    expect(zoned.status).toBe(200);
    const issued = await t.api.post<{
      agent: { id: string };
      credentials: { username: string; password: string };
    }>('/api/v1/agents', { branchId: branch.id, slug: 'srv' });
    const client = await connectAgent(t.mqttUrl, issued.credentials);
    clients.push(client);

    // Every day from an hour ago until two minutes from now, in Tehran: now is inside one.
    const now = new Date();
    const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 2 * 60_000);
    const start = new Date(now.getTime() - 3600_000);
    const refused = await t.api.request('POST', '/api/v1/alerts/maintenance', {
      scope: 'branch',
      scopeId: branch.id,
      recurrence: { rule: 'FREQ=DAILY;BYDAY=FR', from: '2026-01-01', start: '01:00', end: '02:00' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { details: { field: 'recurrence.rule' } } });
    const created = await t.api.post<{ window: { recurrence: unknown; zone: string | null } }>(
      '/api/v1/alerts/maintenance',
      {
        scope: 'branch',
        scopeId: branch.id,
        reason: 'Nightly backup',
        recurrence: {
          rule: 'FREQ=DAILY',
          from: tehran(new Date(now.getTime() - 2 * 86_400_000)).day,
          start: tehran(start).time,
          end: tehran(end).time,
        },
      },
    );
    expect(created.window).toMatchObject({ zone: null, recurrence: { rule: 'FREQ=DAILY' } });

    let seq = 0;
    let clock = now.getTime() - 5000;
    const address = { tenant: 'default', branch: 'rec', agent: 'srv' };
    const round = (ok: boolean) =>
      publish(
        client,
        topics.results(address),
        JSON.stringify(batch('srv', ++seq, [tcpResult('pbx', new Date((clock += 100)), ok)])),
      );
    await round(true);
    for (let i = 0; i < 3; i++) await round(false);
    const check = await db('checks').where({ agent_id: issued.agent.id, key: 'pbx' }).first();
    expect(check.state).toBe('failing');
    const tickets = () => db('tickets').where({ branch_id: branch.id }).select('state');
    expect(await tickets()).toEqual([]);

    // Half a minute before the occurrence ends: still held back.
    await t.hub.incidents.reconcile(new Date(end.getTime() - 30_000));
    expect(await tickets()).toEqual([]);
    // The occurrence is over: the sweep opens the ticket.
    await t.hub.incidents.reconcile(new Date(end.getTime() + 1000));
    expect(await tickets()).toEqual([{ state: 'open' }]);
  });
});
