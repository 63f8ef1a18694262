import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../../test/support/batches.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * Hand-made parent links (docs/alerts.md "Root cause"): an admin makes a switch's
 * check the parent of a camera's check behind it. While the switch is down the camera's alert
 * attaches to the switch's incident (no ticket of its own); when the switch recovers and the
 * camera still fails, the camera opens its own ticket. Driven through MQTT against a real hub.
 */

let t: TestHub;
let db: Database;
let agent: MqttClient;
let seq = 0;
let clock = Date.now() - 5_000;
const address = { tenant: 'default', branch: 'links', agent: 'srv' };

/** One round of the switch and the camera; the camera's result comes first in the batch. */
async function round(switchOk: boolean, cameraOk: boolean): Promise<void> {
  clock += 100;
  const at = new Date(clock);
  const results = [tcpResult('camera', at, cameraOk), tcpResult('switch', at, switchOk)];
  await publish(agent, topics.results(address), JSON.stringify(batch('srv', ++seq, results)));
}

const checkId = async (key: string): Promise<string> =>
  (await db('checks').where({ key }).first()).id;

interface TicketRow {
  id: string;
  state: string;
  check_id: string | null;
}
const tickets = (): Promise<TicketRow[]> =>
  db('tickets').where({ source: 'alert' }).orderBy('number');

beforeAll(async () => {
  t = await startTestHub({ BW_ALERT_SWEEP_SECONDS: '1' });
  db = connectDatabase(t.databaseUrl);
  const issued = await t.api.createAgent(address.branch, address.agent);
  agent = await connectAgent(t.mqttUrl, issued.credentials);
});
afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
});

describe('hand-made parent links', () => {
  it("attach the child's alert to the parent's incident until the parent recovers", async () => {
    await round(true, true);
    const switchId = await checkId('switch');
    const cameraId = await checkId('camera');
    const created = await t.api.request('POST', '/api/v1/alerts/parents', {
      parentCheckId: switchId,
      childCheckId: cameraId,
    });
    expect(created.status).toBe(201);
    const listed = await t.api.get<{ items: { parentCheckId: string; childCheckId: string }[] }>(
      '/api/v1/alerts/parents',
    );
    expect(listed.items).toMatchObject([{ parentCheckId: switchId, childCheckId: cameraId }]);
    // The reverse link would make a loop in which neither check opens a ticket: refused.
    const loop = await t.api.request('POST', '/api/v1/alerts/parents', {
      parentCheckId: cameraId,
      childCheckId: switchId,
    });
    expect(loop.status).toBe(400);
    expect(loop.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', message: expect.stringContaining('loop') },
    });

    // Both fail (3 rounds): one ticket, the switch's; the camera is listed on it.
    for (let i = 0; i < 3; i++) await round(false, false);
    const during = await tickets();
    expect(during.map((x) => [x.check_id, x.state])).toEqual([[switchId, 'open']]);
    const parentTicket = during[0]!;
    const children = await db('incident_children').where({ parent_ticket_id: parentTicket.id });
    expect(children.map((c: { check_id: string }) => c.check_id)).toEqual([cameraId]);
    const notes = await db('ticket_events')
      .where({ ticket_id: parentTicket.id, kind: 'note' })
      .pluck('body');
    expect(notes.filter((n: string) => n.startsWith('Also failing behind this incident'))).toEqual([
      expect.stringContaining('camera (TCP 127.0.0.1:9)'),
    ]);

    // The switch recovers (2 good rounds) while the camera still fails: its own ticket now.
    for (let i = 0; i < 2; i++) await round(true, false);
    const after = await tickets();
    expect(after.map((x) => [x.check_id, x.state])).toEqual([
      [switchId, 'resolved'],
      [cameraId, 'open'],
    ]);
  });
});
