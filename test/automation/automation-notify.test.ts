import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import {
  connectDatabase,
  createLogger,
  loadConfig,
  startHub,
  type Database,
  type RunningHub,
} from '@branchwatch/hub';
import { hashPassword } from '../../hub/src/identity/password.js';
import { startReceiver } from '../../hub/src/notify/test-support/receiver.js';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verify,
} from '../../hub/src/notify/webhook/signature.js';
import { createTestDatabase } from '../support/database.js';
import { ApiClient, waitFor } from '../support/http.js';
import { batch, tcpResult } from '../support/batches.js';
import { ADMIN_PASSWORD, connectAgent, publish } from '../support/hub.js';
import { startSmtpReceiver, type ReceivedMail } from '../support/smtp.js';

// Rules that tell people and call webhooks (docs/automation.md "Actions"), and the link
// availability trigger, through a real hub: mail to a real SMTP server on loopback, webhooks to a
// receiver on loopback. Each fires once and only once, a hub restart half-way included.
let env: Record<string, string>;
let hub: RunningHub;
let api: ApiClient;
let db: Database;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>> | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** While true the SMTP server answers 451 (try later): deliveries wait in the outbox. */
let smtpBusy = false;
let mails: ReceivedMail[] = [];
const SECRET = 'a-rule-webhook-secret-of-length';
let tenantId: string;
let branchId: string;
const ids: Record<string, string> = {};

interface Run {
  status: string;
  ticketId: string | null;
  facts: Record<string, unknown>;
  actions: { type: string; ok: boolean; detail: Record<string, unknown>; error: string | null }[];
  error: string | null;
}

const startTheHub = async () => {
  hub = await startHub(loadConfig(env), createLogger(process.env.BW_TEST_LOG ?? 'silent'));
  api = new ApiClient(`http://127.0.0.1:${hub.httpPort}`);
  await api.login('admin', ADMIN_PASSWORD);
};
const mailsTo = (address: string, subjectPart: string) =>
  mails.filter((m) => m.to.includes(address) && (m.mail.subject ?? '').includes(subjectPart));
const runsOf = async (ruleId: string) =>
  (await api.get<{ items: Run[] }>(`/api/v1/automation/rules/${ruleId}/runs`)).items;
const createRule = async (rule: Record<string, unknown>) =>
  (await api.post<{ rule: { id: string } }>('/api/v1/automation/rules', { tenantId, ...rule }))
    .rule;

async function person(username: string, role: string, language: string, branch = false) {
  const [row] = await db('users')
    .insert({
      username,
      role,
      tenant_id: tenantId,
      password_hash: await hashPassword('password-123'),
    })
    .returning('id');
  ids[username] = row.id as string;
  if (branch) await db('user_branches').insert({ user_id: row.id, branch_id: branchId });
  await db('notify_preferences').insert({
    user_id: row.id,
    language,
    email: `${username}@branchwatch.test`,
    channels: ['email'],
  });
}

/** Waits until the automation jobs of the ticket changes so far have run. */
async function settled() {
  await hub.automation.idle();
  await waitFor('the automation jobs', async () => {
    const [row] = await db('pgboss.job')
      .where('name', 'automation-ticket')
      .whereIn('state', ['created', 'retry', 'active'])
      .count({ n: '*' });
    return Number((row as { n: string }).n) === 0 || undefined;
  });
  await hub.automation.idle();
}

beforeAll(async () => {
  smtp = await startSmtpReceiver({ busy: () => smtpBusy });
  mails = smtp.mails;
  receiver = await startReceiver(() => 200);
  env = {
    DATABASE_URL: await createTestDatabase(),
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: '0',
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: '0',
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BW_SMTP_URL: smtp.url,
    BW_SMTP_FROM: 'Branchwatch <noc@branchwatch.test>',
    // The receiver is on loopback, which webhooks may reach only when an admin allows it.
    BW_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
    BW_NOTIFY_POLL_MS: '100',
    BW_NOTIFY_RETRY_BASE_MS: '200',
    BW_NOTIFY_RETRY_MAX_MS: '400',
    BW_NOTIFY_MAX_ATTEMPTS: '100',
  };
  await startTheHub();
  db = connectDatabase(env.DATABASE_URL!, { min: 0, max: 2 });
  const branch = await api.post<{ branch: { id: string; tenantId: string } }>('/api/v1/branches', {
    slug: 'tabriz-1',
    name: 'Tabriz 1',
  });
  branchId = branch.branch.id;
  tenantId = (await db('branches').where({ id: branchId }).first('tenant_id')).tenant_id;
  await person('leila', 'support_agent', 'fa');
  await person('marc', 'noc_operator', 'fr');
  await person('john', 'noc_operator', 'en');
  await person('reza', 'requester', 'fa', true);
  const [group] = await db('support_groups')
    .insert({ tenant_id: tenantId, name: 'NOC' })
    .returning('id');
  ids.noc = group.id as string;
  await db('group_members').insert([
    { group_id: group.id, user_id: ids.marc },
    { group_id: group.id, user_id: ids.john },
  ]);
  const sub = await api.post<{ subscription: { id: string } }>('/api/v1/notify/subscriptions', {
    tenantId,
    channel: 'webhook',
    address: receiver.url('/rules'),
    format: 'json',
    events: ['check.failing'],
    secret: SECRET,
  });
  ids.hook = sub.subscription.id;
}, 180_000);

afterAll(async () => {
  await db?.destroy();
  await hub?.stop();
  await receiver?.close();
  await smtp?.close();
});

describe('notify and webhook actions', () => {
  it('refuses a notify action without its person, naming the field', async () => {
    const res = await api.request('POST', '/api/v1/automation/rules', {
      tenantId,
      name: 'nobody',
      trigger: { type: 'ticket_created' },
      actions: [{ type: 'notify', to: 'person' }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('actions[0].userId');
    const other = await api.request('POST', '/api/v1/automation/rules', {
      tenantId,
      name: 'elsewhere',
      trigger: { type: 'ticket_created' },
      actions: [{ type: 'webhook', subscriptionId: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toContain('actions[0].subscriptionId');
  });

  it('tells a person, a group and the branch requesters once each, in their language, and posts a signed webhook once — across a hub restart', async () => {
    const rule = await createRule({
      name: 'Urgent at a branch',
      trigger: { type: 'ticket_created' },
      conditions: [{ field: 'priority', op: 'is', value: 'urgent' }],
      actions: [
        { type: 'notify', to: 'person', userId: ids.leila, message: 'Call the branch now.' },
        { type: 'notify', to: 'group', groupId: ids.noc },
        { type: 'notify', to: 'requesters' },
        { type: 'webhook', subscriptionId: ids.hook },
      ],
    });
    // The mail server refuses for now: the deliveries wait in the outbox while the hub restarts.
    smtpBusy = true;
    const opened = (
      await api.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
        subject: 'Counter network down',
        body: 'Nothing works at the counter.',
        branchId,
        priority: 'urgent',
      })
    ).ticket;
    await settled();
    const [run] = await runsOf(rule.id);
    expect(run).toMatchObject({ status: 'ok', ticketId: opened.id, error: null });
    expect(run!.actions.map((a) => [a.type, a.ok, a.detail.queued])).toEqual([
      ['notify', true, 1],
      ['notify', true, 2],
      ['notify', true, 1],
      ['webhook', true, true],
    ]);
    await waitFor(
      'a refused mail attempt',
      async () =>
        (
          await db('notify_outbox')
            .where({ event_type: 'automation.rule', channel: 'email' })
            .max({ n: 'attempts' })
        )[0]!.n > 0 || undefined,
    );

    await hub.stop();
    await startTheHub();
    // The same ticket's jobs taken again, and a sweep, act no more.
    await hub.automation.processTicket(opened.id);
    await hub.automation.sweep(new Date());
    smtpBusy = false;

    const subject = `#${opened.number} Counter network down`;
    for (const who of ['leila', 'marc', 'john', 'reza'])
      await waitFor(`the mail to ${who}`, async () =>
        mailsTo(`${who}@branchwatch.test`, subject).length ? true : undefined,
      );
    const leila = mailsTo('leila@branchwatch.test', subject)[0]!.mail;
    expect(leila.subject).toBe(`Urgent at a branch: ${subject}`);
    expect(leila.text!.trim().split('\n\n')).toEqual([
      'Call the branch now.',
      `تیکت #${opened.number} «Counter network down» در Tabriz 1`,
      'قاعده: Urgent at a branch',
    ]);
    expect(mailsTo('marc@branchwatch.test', subject)[0]!.mail.text).toContain(
      `Ticket n° ${opened.number} « Counter network down » à Tabriz 1`,
    );
    expect(mailsTo('john@branchwatch.test', subject)[0]!.mail.text).toContain(
      `Ticket #${opened.number} "Counter network down" at Tabriz 1`,
    );
    const hooks = await waitFor('the webhook', async () => {
      const got = receiver.received.filter((r) => r.path === '/rules');
      return got.length ? got : undefined;
    });
    const body = JSON.parse(hooks[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      event: 'automation.rule',
      subject: `Urgent at a branch: ${subject}`,
      data: { rule: 'Urgent at a branch', number: opened.number, branch: 'Tabriz 1' },
    });
    const h = hooks[0]!.headers;
    expect(
      verify(
        SECRET,
        Number(h[TIMESTAMP_HEADER.toLowerCase()]),
        hooks[0]!.body,
        String(h[SIGNATURE_HEADER.toLowerCase()]),
      ),
    ).toBe(true);

    // A while later: still one of each, one run.
    await new Promise((r) => setTimeout(r, 1500));
    for (const who of ['leila', 'marc', 'john', 'reza'])
      expect(mailsTo(`${who}@branchwatch.test`, subject)).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === '/rules')).toHaveLength(1);
    expect(await runsOf(rule.id)).toHaveLength(1);
    await api.request('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false });
  });

  it('says why when a webhook now points at a private address, and sends nothing there', async () => {
    // As if the subscription's name had come to resolve to a private address since it was made.
    const [row] = await db('notify_subscriptions')
      .insert({
        tenant_id: tenantId,
        channel: 'webhook',
        address: 'http://10.20.30.40/hook',
        format: 'json',
        language: 'en',
        events: [],
      })
      .returning('id');
    const rule = await createRule({
      name: 'Post to the old hook',
      trigger: { type: 'ticket_created' },
      conditions: [{ field: 'subject', op: 'contains', value: 'printer' }],
      actions: [{ type: 'webhook', subscriptionId: row.id }],
    });
    await api.post('/api/v1/tickets', { subject: 'The printer jams', body: 'x', branchId });
    await settled();
    const [run] = await runsOf(rule.id);
    expect(run!.status).toBe('failed');
    expect(run!.error).toContain('10.20.30.40 is a loopback, link-local or private address');
    expect(await db('notify_outbox').where({ address: 'http://10.20.30.40/hook' })).toHaveLength(0);
    await api.request('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false });
  });
});

describe('availability trigger', () => {
  it('tells the group once when the branch link falls below its share of the month, restart included', async () => {
    const issued = await api.post<{ credentials: { username: string; password: string } }>(
      '/api/v1/agents',
      { branchId, slug: 'tabriz-probe' },
    );
    const client = await connectAgent(`mqtt://127.0.0.1:${hub.mqttPort}`, issued.credentials);
    const tenantSlug = (await db('tenants').where({ id: tenantId }).first('slug')).slug as string;
    const now = Date.now();
    // Down for the last 20 minutes, up again now: 20 minutes of a month is about 99.95 %.
    await publish(
      client,
      topics.results({ tenant: tenantSlug, branch: 'tabriz-1', agent: 'tabriz-probe' }),
      JSON.stringify(
        batch('tabriz-probe', 1, [
          tcpResult('wan-link', new Date(now - 20 * 60_000), false),
          tcpResult('wan-link', new Date(now - 10 * 60_000), false),
          tcpResult('wan-link', new Date(now), true),
        ]),
      ),
    );
    client.end(true);
    const check = await waitFor(
      'the WAN check',
      async () =>
        (await db('checks').where({ key: 'wan-link' }).first('id')) as { id: string } | undefined,
    );
    const role = await api.request('PUT', `/api/v1/alerts/checks/${check.id}/role`, {
      role: 'wan',
    });
    expect(role.status).toBe(204);
    await waitFor('the rounds', async () => {
      const [row] = await db('check_results').where({ check_id: check.id }).count({ n: '*' });
      return Number((row as { n: string }).n) === 3 || undefined;
    });

    const rule = await createRule({
      name: 'Link below 99.99 %',
      trigger: { type: 'availability', period: 'month', below: 99.99 },
      actions: [{ type: 'notify', to: 'group', groupId: ids.noc, message: 'Check the link.' }],
    });
    const simulate = () =>
      api.post<{ items: { facts: Record<string, unknown> }[] }>('/api/v1/automation/simulate', {
        tenantId,
        ruleId: rule.id,
        rule: {
          trigger: { type: 'availability', period: 'month', below: 99.99 },
          actions: [{ type: 'notify', to: 'group', groupId: ids.noc }],
        },
      });
    const sim = await simulate();
    expect(sim.items).toHaveLength(1);
    expect(sim.items[0]!.facts).toMatchObject({ branchName: 'Tabriz 1', below: 99.99 });

    await hub.automation.sweep(new Date(now + 1000));
    await hub.automation.sweep(new Date(now + 2000));
    await hub.stop();
    await startTheHub();
    await hub.automation.sweep(new Date(now + 3000));
    const runs = await runsOf(rule.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.facts).toMatchObject({ field: 'availability', below: 99.99, period: 'month' });
    const percent = runs[0]!.facts.value as number;
    expect(percent).toBeGreaterThan(99.9);
    expect(percent).toBeLessThan(99.99);
    const shown = new Intl.NumberFormat('fr', { maximumFractionDigits: 3 }).format(percent);
    const mail = await waitFor(
      'the French mail',
      async () => mailsTo('marc@branchwatch.test', 'Link below 99.99 %')[0],
    );
    expect(mail.mail.text).toContain(
      `wan-link (127.0.0.1:9) à Tabriz 1 a été disponible ${shown} % ce mois-ci jusqu'ici, sous 99,99 %`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsTo('marc@branchwatch.test', 'Link below 99.99 %')).toHaveLength(1);
    expect(mailsTo('john@branchwatch.test', 'Link below 99.99 %')).toHaveLength(1);
    // Once fired, the simulator says the period has nothing left to do.
    expect((await simulate()).items).toHaveLength(0);
  });
});
