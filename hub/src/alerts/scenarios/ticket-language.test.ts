import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../../test/support/batches.js';
import { waitFor } from '../../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * Tickets an alert opens are written in the tenant's language (helpdesk settings), with times
 * in the branch's zone and calendar, the chart as the web UI's address, and the priority's
 * reasons in words; the facts stay on the event for readers in other languages.
 */
let t: TestHub;
let db: Database;
let agent: MqttClient;
let seq = 0;
/** Rounds a second apart, in the recent past, always after the one before. */
let clock = Date.now() - 60_000;
let branchId: string;
const address = { tenant: 'default', branch: 'kerman', agent: 'srv' };

beforeAll(async () => {
  t = await startTestHub({ BW_NOTIFY_WEB_URL: 'https://noc.example.test/' });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  const issued = await t.api.createAgent('kerman', 'srv');
  branchId = (await db('agents').where({ id: issued.agent.id }).first()).branch_id;
  await db('branches').where({ id: branchId }).update({ time_zone: 'Asia/Tehran' });
  agent = await connectAgent(t.mqttUrl, issued.credentials);
});
afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
});

const setLanguage = async (language: string) => {
  const tenantId = (await db('tenants').where({ slug: 'default' }).first()).id;
  await t.api.request('PUT', '/api/v1/helpdesk/settings', { tenantId, language });
};
const rounds = async (ok: boolean, n: number) => {
  for (let i = 0; i < n; i++) {
    const at = new Date((clock += 1000));
    seq += 1;
    await publish(
      agent,
      topics.results(address),
      JSON.stringify(batch('srv', seq, [tcpResult('intranet', at, ok)])),
    );
  }
};
const eventsOf = (ticketId: string) =>
  db('ticket_events').where({ ticket_id: ticketId }).orderBy('id') as Promise<
    { kind: string; body: string | null; data: { text?: { kind: string } } | null }[]
  >;

describe('ticket text in the tenant’s language', () => {
  it('opens a ticket in Persian, with Jalali dates in the branch’s zone and a real link', async () => {
    await setLanguage('fa');
    await rounds(false, 3);
    const ticket = await waitFor('the alert ticket', () =>
      db('tickets').where({ branch_id: branchId }).first(),
    );
    expect(ticket.subject).toBe('وب‌سایت یا برنامه در kerman قطع است');
    const [opened] = await eventsOf(ticket.id);
    const lines = opened!.body!.split('\n');
    // "Failing since <Jalali date> (Asia/Tehran): connection refused."
    expect(lines[0]).toMatch(
      /^ناموفق از [۰-۹]+ \S+ ۱۴[۰-۹]{2}، [۰-۹]+:[۰-۹]{2} \(Asia\/Tehran\): connection refused\.$/,
    );
    expect(lines).toContain('چه: بررسی TCP intranet روی 127.0.0.1:9.');
    expect(lines.find((l) => l.startsWith('نمودار قطعی: '))).toMatch(
      new RegExp(`^نمودار قطعی: https://noc\\.example\\.test/branches/${branchId}\\?check=`),
    );
    expect(lines.at(-1)).toBe(
      'اولویت کم، ۲ امتیاز: یک بررسی TCP (۱)، شعبه‌ای با اهمیت عادی (۱)، بار نخست (۰)، ' +
        'چیز دیگری متأثر نشده (۰).',
    );
    expect(opened!.data?.text).toMatchObject({
      kind: 'check_failing',
      reason: 'connection refused',
    });
    // No ISO timestamps for people (the link's query is for the web UI).
    const prose = lines.filter((l) => !l.startsWith('نمودار قطعی: '));
    expect(prose.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('writes what follows in the language the tenant has then', async () => {
    await setLanguage('fr');
    await rounds(true, 2);
    const ticket = await db('tickets').where({ branch_id: branchId }).first();
    const events = await waitFor(
      'the recovery and resolution',
      async () => {
        const all = await eventsOf(ticket.id);
        return all.some((e) => e.kind === 'resolved') ? all : undefined;
      },
      10_000,
    );
    const recovered = events.find((e) => e.kind === 'recovered')!;
    expect(recovered.body).toMatch(
      /^Rétabli le \d+ \S+ \d{4}, \d{1,2}:\d{2} \(Asia\/Tehran\) après /,
    );
    expect(events.find((e) => e.kind === 'resolved')!.body).toBe(
      'Résolu automatiquement\u00a0: la vérification est rétablie et personne n’avait ' +
        'travaillé sur le ticket.',
    );
  });
});
