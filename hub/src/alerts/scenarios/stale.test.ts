import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProbeResult } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../../test/support/batches.js';
import { waitFor } from '../../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';
import { IncidentRepository } from '../incident.repository.js';

/**
 * Stale checks (docs/alerts.md "Stale checks"): a check that misses two rounds in a row is
 * stale (no data), its open ticket gets a note and stays open — neither failing nor recovered —
 * and a note says when data is back. Driven through MQTT against a real hub; the agent says
 * it runs the check every second, so two missed rounds plus the slack take about 17 s.
 */

let t: TestHub;
let db: Database;
let agent: MqttClient;
let seq = 0;
let last = 0;
const address = { tenant: 'default', branch: 'stale', agent: 'srv' };

function now(): Date {
  last = Math.max(Date.now(), last + 1);
  return new Date(last);
}

const send = (results: ProbeResult[]) =>
  publish(agent, topics.results(address), JSON.stringify(batch('srv', ++seq, results)));

beforeAll(async () => {
  t = await startTestHub({ BW_ALERT_SWEEP_SECONDS: '1' });
  db = connectDatabase(t.databaseUrl);
  const issued = await t.api.createAgent(address.branch, address.agent);
  agent = await connectAgent(t.mqttUrl, issued.credentials);
  await publish(
    agent,
    topics.status(address),
    JSON.stringify({
      v: 1,
      agent: 'srv',
      state: 'online',
      at: new Date().toISOString(),
      config: {
        revision: null,
        checks: [{ id: 'kiosk', source: 'file', intervalSeconds: 1 }],
        defaults: { intervalSeconds: 60, timeoutSeconds: 1 },
      },
    }),
  );
});
afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
});

describe('a check that stops reporting', () => {
  it('goes stale with a note on its open ticket, which stays open, and says when data is back', async () => {
    await send([tcpResult('kiosk', now(), true)]);
    for (let i = 0; i < 3; i++) await send([tcpResult('kiosk', now(), false)]);
    const check = await db('checks').where({ key: 'kiosk' }).first();
    expect(check.state).toBe('failing');
    const [ticket] = await db('tickets').where({ check_id: check.id });
    const lastResultAt: Date = check.last_result_at;

    const stale = await waitFor(
      'the silent check to go stale',
      async () => {
        const row = await db('checks').where({ id: check.id }).first();
        return row.stale_since ? row : undefined;
      },
      60_000,
      250,
    );
    // Two 1 s intervals, the 1 s timeout and 15 s of slack after the last round.
    expect(stale.stale_since.getTime() - lastResultAt.getTime()).toBe(18_000);
    expect(stale.state).toBe('failing');
    const listed = await t.api.get<{ items: { id: string; staleSince: string | null }[] }>(
      '/api/v1/checks',
    );
    expect(listed.items.find((c) => c.id === check.id)?.staleSince).toBe(
      stale.stale_since.toISOString(),
    );
    const notes = async () =>
      (await db('ticket_events').where({ ticket_id: ticket.id, kind: 'note' }).orderBy('id')).map(
        (e: { body: string }) => e.body,
      );
    const staleNote = await waitFor('the stale note', async () =>
      (await notes()).find((b) => b.startsWith('No data: kiosk has missed two rounds in a row')),
    );
    expect(staleNote).toContain('the ticket stays open');
    expect((await db('tickets').where({ id: ticket.id }).first()).state).toBe('open');

    // Data comes back, still failing: a note says so and the ticket stays open.
    await send([tcpResult('kiosk', now(), false)]);
    const back = await waitFor('the data-back note', async () =>
      (await notes()).find((b) => b.startsWith('Data is back')),
    );
    expect(back).toMatch(/^Data is back after \d+ s without results: it still fails\.$/);
    expect((await db('checks').where({ id: check.id }).first()).stale_since).toBeNull();
    expect((await db('tickets').where({ id: ticket.id }).first()).state).toBe('open');
  }, 90_000);
});

describe('the sweep while an ingest holds a check', () => {
  /**
   * Ingest locks a group's checks in (agent, key) order; a sweep that waited for a row an
   * ingest held, while holding others, made a deadlock. The sweep passes over held rows; the
   * lock below stands in for an ingest in flight. The hub's own sweep runs too (every second)
   * but marks nothing here: these checks run every 60 s and "now" is an hour ahead only in
   * the calls made below.
   */
  it('passes over the held check and marks or clears the others, without waiting', async () => {
    const at = now();
    await send([tcpResult('held', at, true), tcpResult('free', at, true)]);
    const ids = Object.fromEntries(
      (await db('checks').whereIn('key', ['held', 'free']).select('key', 'id')).map(
        (r: { key: string; id: string }) => [r.key, r.id],
      ),
    ) as Record<'held' | 'free', string>;
    const incidents = new IncidentRepository(db);
    const later = () => new Date(Date.now() + 3600_000);
    const mine = (rows: { check: { id: string } }[]) =>
      rows.map((r) => r.check.id).filter((id) => id === ids.held || id === ids.free);

    // Holds the row of `held` while `work` runs (at most 10 s: a sweep that waits for the
    // row then finishes after it is let go, and the assertions below tell).
    const whileHeld = async <T>(work: () => Promise<T>): Promise<T> => {
      const trx = await db.transaction();
      try {
        await trx.raw('SELECT id FROM checks WHERE id = ? FOR NO KEY UPDATE', [ids.held]);
        const running = work();
        const bound = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
        await Promise.race([
          running.then(
            () => undefined,
            () => undefined,
          ),
          bound,
        ]);
        await trx.commit();
        return await running;
      } finally {
        if (!trx.isCompleted()) await trx.rollback();
      }
    };

    expect(mine(await whileHeld(() => incidents.markStale(later(), 15)))).toEqual([ids.free]);
    expect(mine(await incidents.markStale(later(), 15))).toEqual([ids.held]);

    // Data back for both (their rounds after the time they went stale, which the hour ahead
    // put in the future); only the row not held is cleared while the other is held.
    await db('checks')
      .whereIn('id', [ids.held, ids.free])
      .update({ stale_since: db.ref('last_result_at') });
    await send([tcpResult('held', now(), true), tcpResult('free', now(), true)]);
    const cleared = await whileHeld(async () => {
      await waitFor('the free check cleared', async () =>
        (await db('checks').where({ id: ids.free }).first()).stale_since === null
          ? true
          : undefined,
      );
      return (await db('checks').where({ id: ids.held }).first()).stale_since as Date | null;
    });
    expect(cleared).not.toBeNull();
    await waitFor('the held check cleared once let go', async () =>
      (await db('checks').where({ id: ids.held }).first()).stale_since === null ? true : undefined,
    );
  }, 60_000);
});
