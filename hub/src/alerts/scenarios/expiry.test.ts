import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../../test/support/batches.js';
import { waitFor } from '../../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * Alert expiry (docs/alerts.md "Tickets"): a failing check whose results stop for
 * good can never show its recovery, so after BW_ALERT_EXPIRE_SECONDS the sweep expires its
 * alert: a note on the ticket, the ticket resolved (nobody worked on it), the check unknown
 * until results return, and then it starts afresh. Driven through MQTT against a real hub.
 */

const EXPIRE_SECONDS = 4;

let t: TestHub;
let db: Database;
let agent: MqttClient;
let seq = 0;
let last = 0;
const address = { tenant: 'default', branch: 'expiry', agent: 'srv' };

/** Rounds at the present time, so that the silence after them is measured from now. */
function now(): Date {
  last = Math.max(Date.now(), last + 1);
  return new Date(last);
}

const send = (results: ProbeResult[]) =>
  publish(agent, topics.results(address), JSON.stringify(batch('srv', ++seq, results)));

const eventsOf = (ticketId: string) =>
  db('ticket_events').where({ ticket_id: ticketId }).orderBy('id') as Promise<
    { kind: string; body: string | null; at: Date; data: { text?: unknown } | null }[]
  >;

beforeAll(async () => {
  t = await startTestHub({
    BW_ALERT_EXPIRE_SECONDS: String(EXPIRE_SECONDS),
    BW_ALERT_SWEEP_SECONDS: '1',
  });
  db = connectDatabase(t.databaseUrl);
  const issued = await t.api.createAgent(address.branch, address.agent);
  agent = await connectAgent(t.mqttUrl, issued.credentials);
});
afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
});

describe('alert expiry', () => {
  it('expires a failing check that goes silent, with a note, and starts it afresh', async () => {
    await send([tcpResult('kiosk', now(), true)]);
    for (let i = 0; i < 3; i++) await send([tcpResult('kiosk', now(), false)]);
    const check = await db('checks').where({ key: 'kiosk' }).first();
    expect(check.state).toBe('failing');
    const [ticket] = await db('tickets').where({ check_id: check.id });
    expect(ticket).toMatchObject({ state: 'open', alert_kind: 'check' });
    const lastResultAt: Date = check.last_result_at;

    // No recovery ever comes: the sweep expires the alert.
    const resolved = await waitFor(
      'the silent check to expire',
      async () => {
        const row = await db('tickets').where({ id: ticket.id }).first();
        return row.state === 'resolved' ? row : undefined;
      },
      60_000,
      250,
    );
    expect(resolved.state).toBe('resolved');
    const events = await eventsOf(ticket.id);
    const note = events.find((e) => e.kind === 'note' && e.body?.startsWith('Alert expired'));
    expect(note?.data?.text).toEqual({
      kind: 'expired',
      check: 'kiosk',
      lastResult: lastResultAt.toISOString(),
      allowedMs: 4000,
    });
    expect(note?.body).toMatch(
      /^Alert expired: no result from kiosk since \w{3} \d+, \d{4}, \d+:\d{2}\s[AP]M \(UTC\) \(4 s allowed\), so its recovery cannot be seen\. The check starts afresh when results return\.$/,
    );
    // Not before its time: the note comes after the allowed silence.
    expect(note!.at.getTime() - lastResultAt.getTime()).toBeGreaterThanOrEqual(
      EXPIRE_SECONDS * 1000,
    );
    expect(events.some((e) => e.body?.includes('Resolved automatically: the alert expired'))).toBe(
      true,
    );
    const expired = await db('checks').where({ id: check.id }).first();
    expect(expired).toMatchObject({ state: 'unknown', fail_streak: 0 });
    expect(expired.alert_expired_at).not.toBeNull();

    // Results return: one failed round does not bring the alert back, the check counts anew.
    await send([tcpResult('kiosk', now(), false)]);
    const fresh = await db('checks').where({ id: check.id }).first();
    expect(fresh).toMatchObject({ fail_streak: 1 });
    expect(fresh.state).not.toBe('failing');
    expect((await db('tickets').where({ id: ticket.id }).first()).state).toBe('resolved');
    // Three in a row make it fail again: the same ticket reopens (inside the reopen window).
    for (let i = 0; i < 2; i++) await send([tcpResult('kiosk', now(), false)]);
    const tickets = await db('tickets').where({ check_id: check.id });
    expect(tickets.map((x: { id: string; state: string }) => [x.id, x.state])).toEqual([
      [ticket.id, 'open'],
    ]);
  }, 90_000);
});
