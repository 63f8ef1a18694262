import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { batch, tcpResult } from '../../../test/support/batches.js';
import { pngImage } from '../../../test/support/png.js';
import { ApiClient, waitFor } from '../../../test/support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { connectDatabase, type Database } from '../db/database.js';
import { RequestScope } from '../db/request-scope.js';
import { registeredRoutes } from '../app/registered-routes.js';
import { stream } from '../../../test/support/sse.js';
import { ask, linkTelegram } from '../../../test/support/telegram.js';
import { startTelegramStandin } from '../../../test/telegram-standin/standin.js';

/**
 * A user of tenant B walks every registered route with tenant A's ids in the path and
 * the body, and must see and change nothing of A's; then every other way in: the Telegram
 * bot's commands, the live stream, the CSV export and support groups. Then row-level
 * security is checked in PostgreSQL itself, and branch scoping through the API (enforced
 * only by RLS).
 */

// In every name of A's: B must never read it back. CONFIDENTIAL is never sent by B at all.
const A_SLUG = 'alphasecret';
const CONFIDENTIAL = 'ALPHA-CONFIDENTIAL';
const PASSWORD = 'walk-password-123';

interface Seeded {
  tenant: string;
  ticketNumber: number;
  branch: string;
  branch2: string;
  agent: string;
  check: string;
  ticket: string;
  ticket2: string;
  user: string;
  role: string;
  rule: string;
  provider: string;
  samlProvider: string;
  article: string;
  /** An image of the article, shown in its text. */
  articleFile: string;
  schedule: string;
  /** A browser of the tenant's user subscribed to web push. */
  pushSubscription: string;
}

let t: TestHub;
let db: Database;
let bot: Awaited<ReturnType<typeof startTelegramStandin>>;
const BOT_TOKEN = '987654:WALK-token';
const mqttClients: MqttClient[] = [];
let a: Seeded;
let b: Seeded;

async function seed(slug: string, secret: string): Promise<Seeded> {
  const api = t.api;
  const { tenant } = await api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: `${slug} ${secret}`,
  });
  const branch = async (name: string) =>
    (
      await api.post<{ branch: { id: string } }>('/api/v1/branches', {
        slug: `${slug}-${name}`,
        tenant: slug,
      })
    ).branch.id;
  const [hq, shop] = [await branch('hq'), await branch('shop')];
  const issued = await api.post<{
    agent: { id: string };
    credentials: { username: string; password: string };
  }>('/api/v1/agents', { branchId: hq, slug: 'srv' });
  const client = await connectAgent(t.mqttUrl, issued.credentials);
  mqttClients.push(client);
  const at = new Date(Date.UTC(2026, 10, 20, 8, 0, 0));
  await publish(
    client,
    topics.results({ tenant: slug, branch: `${slug}-hq`, agent: 'srv' }),
    JSON.stringify(
      batch('srv', 1, [
        tcpResult(`${slug}-web`, at, true),
        tcpResult(`${slug}-web`, new Date(+at + 60_000), false),
      ]),
    ),
  );
  const check = await waitFor(`${slug} check stored`, async () => {
    const row = await db('checks')
      .where({ key: `${slug}-web` })
      .first('id');
    return (row as { id: string } | undefined)?.id;
  });
  const ticket = async (branchId: string) =>
    (
      await api.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
        subject: `${slug} ${secret} outage`,
        body: `${secret} details`,
        branchId,
      })
    ).ticket;
  const [first, second] = [await ticket(hq), await ticket(shop)];
  const [ticket1, ticket2] = [first.id, second.id];
  await api.post(`/api/v1/tickets/${ticket1}/replies`, { body: `${secret} reply` });
  await api.post(`/api/v1/tickets/${ticket1}/tags`, { tag: `${slug}-tag` });
  const { role } = await api.post<{ role: { id: string } }>('/api/v1/roles', {
    name: `${slug}-readers`,
    permissions: ['tickets.read'],
    tenantId: tenant.id,
  });
  const { user } = await api.post<{ user: { id: string } }>('/api/v1/users', {
    username: `${slug}-admin`,
    password: PASSWORD,
    role: 'tenant_admin',
    tenantId: tenant.id,
  });
  // A time rule: nothing it could do fires during the walk, so A's snapshot holds still.
  const { rule } = await api.post<{ rule: { id: string } }>('/api/v1/automation/rules', {
    tenantId: tenant.id,
    name: `${slug} ${secret} rule`,
    trigger: { type: 'resolved_for', days: 30 },
    conditions: [{ field: 'subject', op: 'contains', value: secret }],
    actions: [{ type: 'add_note', body: `${secret} note` }],
  });
  const { provider } = await api.post<{ provider: { id: string } }>('/api/v1/identity-providers', {
    kind: 'oidc',
    name: `${slug} ${secret} directory`,
    tenantId: tenant.id,
    domains: [`${slug}.example`],
    // Loopback, a port nothing listens on: the walk's GET /sso/:id/login makes the hub look
    // for the provider's discovery document, which must not leave this machine.
    settings: { issuer: `http://127.0.0.1:9/${slug}/idp`, clientId: `${slug}-${secret}` },
    clientSecret: `${secret}-client-secret`,
    rules: [{ claim: 'groups', value: `${slug}-noc`, role: 'noc_operator', branchIds: [hq] }],
  });
  // A SAML provider: its SP metadata and ACS are public (the IdP reaches them), yet another
  // tenant's admin learns nothing of it through them or the admin API.
  const { provider: saml } = await api.post<{ provider: { id: string } }>(
    '/api/v1/identity-providers',
    {
      kind: 'saml',
      name: `${slug} ${secret} SAML`,
      tenantId: tenant.id,
      domains: [`saml.${slug}.example`],
      settings: {
        idpEntityId: `http://127.0.0.1:9/${slug}/saml/${secret}`,
        idpSsoUrl: `http://127.0.0.1:9/${slug}/saml/sso`,
        idpCertificate: `-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(40)}\n-----END CERTIFICATE-----`,
      },
      rules: [{ claim: 'groups', value: `${slug}-noc`, role: 'noc_operator', branchIds: [hq] }],
    },
  );
  // A knowledge article for the tenant's staff and a search that found nothing: neither may
  // reach another tenant, through the articles, search, suggestions, reports or the bot.
  const article = await api.post<{ id: string }>('/api/v1/knowledge/articles', {
    tenantId: tenant.id,
    audience: 'public',
    state: 'published',
    checkTypes: ['tcp'],
    translations: [{ language: 'en', title: `${slug} ${secret} runbook`, body: `${secret} steps` }],
  });
  // An image of the article, shown in its text: B may neither read, list nor remove it.
  const token = (api as unknown as { token: string }).token;
  const uploaded = await fetch(
    `${api.baseUrl}/api/v1/knowledge/articles/${article.id}/files?name=${slug}-${secret}.png`,
    {
      method: 'PUT',
      headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` },
      body: pngImage(4, 4),
    },
  );
  const { id: articleFile } = (await uploaded.json()) as { id: string };
  await api.request('PUT', `/api/v1/knowledge/articles/${article.id}/translations/en`, {
    title: `${slug} ${secret} runbook`,
    body: `${secret} steps\n\n![map](/api/v1/knowledge/articles/${article.id}/files/${articleFile})`,
  });
  // A scheduled report: B may neither read, change, delete nor send A's.
  const { schedule } = await api.post<{ schedule: { id: string } }>('/api/v1/reports/schedules', {
    tenantId: tenant.id,
    name: `${slug} ${secret} weekly`,
    branchId: hq,
    frequency: 'weekly',
    hour: 7,
    timeZone: 'Asia/Tehran',
    language: 'fa',
    formats: ['pdf'],
    recipients: [`${slug}-manager@example.test`],
  });
  // A person's browser subscribed to push: B may neither list nor remove it.
  const [push] = (await db('push_subscriptions')
    .insert({
      tenant_id: tenant.id,
      user_id: user.id,
      endpoint: `https://push.example.test/${slug}-${secret}`,
      p256dh: `${secret}-key`,
      auth: `${secret}-auth`,
    })
    .returning('id')) as { id: string }[];
  // Branding: B may neither read nor set A's (the walk reads every answer for the secret).
  const branded = await api.request('PUT', '/api/v1/branding/settings', {
    tenantId: tenant.id,
    productName: `${secret} Desk`,
    accentColor: '#0b7285',
  });
  if (branded.status !== 200) throw new Error(`branding: ${branded.status}`);
  await api.get(`/api/v1/knowledge/search?q=${slug}%20nothing`);
  await db('kb_searches').update({ tenant_id: tenant.id }).whereNull('tenant_id');
  return {
    rule: rule.id,
    tenant: tenant.id,
    article: article.id,
    articleFile,
    ticketNumber: first.number,
    branch: hq,
    branch2: shop,
    agent: issued.agent.id,
    check,
    ticket: ticket1,
    ticket2,
    user: user.id,
    role: role.id,
    provider: provider.id,
    schedule: schedule.id,
    samlProvider: saml.id,
    pushSubscription: push!.id,
  };
}

/** Everything of tenant A's in the database, as the superuser sees it. */
async function snapshotOf(s: Seeded): Promise<string> {
  const byTenant = [
    'branches',
    'agents',
    'checks',
    'tickets',
    'users',
    'roles',
    'enrollment_tokens',
    'support_groups',
    'canned_replies',
    'alert_rules',
    'maintenance_windows',
    'automation_rules',
    'automation_runs',
    'report_schedules',
    'push_subscriptions',
  ];
  const out: Record<string, unknown> = {
    tenant: await db('tenants').where({ id: s.tenant }),
  };
  for (const table of byTenant)
    out[table] = await db(table).where({ tenant_id: s.tenant }).orderBy('id');
  // Connection bookkeeping moves on its own (heartbeats); B cannot set it through the API.
  out.agents = (out.agents as Record<string, unknown>[]).map((row) =>
    Object.fromEntries(
      Object.entries(row).filter(([k]) => !/seen|online|connect|status|spool/.test(k)),
    ),
  );
  const tickets = db('tickets').where({ tenant_id: s.tenant }).select('id');
  for (const table of ['ticket_events', 'ticket_tags', 'ticket_watchers', 'ticket_links'])
    out[table] = await db(table).whereIn('ticket_id', tickets).orderBy('ticket_id');
  const articles = db('kb_articles').where({ tenant_id: s.tenant }).select('id');
  for (const table of ['kb_articles', 'kb_searches', 'kb_deflections'])
    out[table] = await db(table).where({ tenant_id: s.tenant }).orderBy('id');
  for (const table of ['kb_translations', 'kb_versions', 'kb_files'])
    out[table] = await db(table).whereIn('article_id', articles).orderBy('article_id');
  const files = db('kb_files').whereIn('article_id', articles).select('id');
  out.kb_file_chunks = await db('kb_file_chunks').whereIn('file_id', files).orderBy('file_id');
  out.kb_version_files = await db('kb_version_files').whereIn('file_id', files).orderBy('file_id');
  out.checkResults = await db('check_results')
    .whereIn('check_id', db('checks').where({ tenant_id: s.tenant }).select('id'))
    .count('* as n');
  const providers = db('identity_providers').where({ tenant_id: s.tenant }).select('id');
  out.providers = await db('identity_providers').where({ tenant_id: s.tenant });
  for (const table of ['identity_provider_domains', 'identity_provider_rules', 'user_identities'])
    out[table] = await db(table).whereIn('provider_id', providers).orderBy('provider_id');
  out.retention = await db('retention_policies').where({ tenant_id: s.tenant });
  out.prunedAudit = await db('audit_log').where({ tenant_id: s.tenant }).whereNotNull('pruned_at');
  out.userBranches = await db('user_branches').whereIn('branch_id', [s.branch, s.branch2]);
  // A's people in any group, A's or another tenant's: as members or as leads.
  const people = db('users').where({ tenant_id: s.tenant }).select('id');
  out.memberships = await db('group_members').whereIn('user_id', people).orderBy('group_id');
  out.leads = await db('support_groups').whereIn('lead_id', people).orderBy('id');
  return JSON.stringify(out);
}

/** Bodies that name A's objects, for the routes that take ids in the body. */
function bodiesFor(key: string, s: Seeded): unknown[] {
  const specific: Record<string, unknown[]> = {
    'POST /api/v1/branches': [{ slug: 'intruder', tenant: A_SLUG }],
    'PATCH /api/v1/branches/:id': [
      { name: 'hacked' },
      { address: 'hacked', latitude: 1, longitude: 1 },
      { timeZone: 'UTC' },
    ],
    'PATCH /api/v1/tenants/:id': [{ name: 'hacked' }],
    'PATCH /api/v1/automation/rules/:id': [{ name: 'hacked' }, { enabled: false }],
    'POST /api/v1/automation/rules': [
      {
        tenantId: s.tenant,
        name: 'hacked',
        trigger: { type: 'ticket_created' },
        actions: [{ type: 'add_tag', tag: 'hacked' }],
      },
    ],
    'POST /api/v1/automation/simulate': [
      { rule: { trigger: { type: 'ticket_changed' }, actions: [{ type: 'close' }] }, days: 30 },
      {
        tenantId: s.tenant,
        rule: { trigger: { type: 'ticket_changed' }, actions: [{ type: 'close' }] },
      },
      {
        ruleId: s.rule,
        rule: { trigger: { type: 'ticket_changed' }, actions: [{ type: 'close' }] },
      },
    ],
    'POST /api/v1/reports/schedules': [
      {
        tenantId: s.tenant,
        name: 'intruder',
        frequency: 'daily',
        hour: 7,
        timeZone: 'UTC',
        language: 'en',
        formats: ['csv'],
        recipients: ['intruder@example.test'],
      },
      {
        name: 'intruder2',
        branchId: s.branch,
        frequency: 'daily',
        hour: 7,
        timeZone: 'UTC',
        language: 'en',
        formats: ['csv'],
        recipients: ['intruder@example.test'],
      },
    ],
    'PATCH /api/v1/reports/schedules/:id': [
      { name: 'hacked' },
      { enabled: false },
      { recipients: ['intruder@example.test'] },
    ],
    'POST /api/v1/agents': [{ branchId: s.branch, slug: 'intruder' }],
    'POST /api/v1/tickets': [
      { subject: 'x', body: 'x', branchId: s.branch },
      { subject: 'x', body: 'x', assigneeId: s.user },
    ],
    'POST /api/v1/tickets/bulk': [
      { ids: [s.ticket], action: { action: 'state', state: 'closed' } },
      { ids: [s.ticket], action: { action: 'tag', tag: 'hacked' } },
      { ids: [s.ticket], action: { action: 'assign', assigneeId: s.user } },
    ],
    'PATCH /api/v1/tickets/:id': [{ subject: 'hacked' }, { state: 'closed' }],
    'POST /api/v1/tickets/:id/replies': [{ body: 'hacked' }],
    'POST /api/v1/tickets/:id/tags': [{ tag: 'hacked' }],
    'POST /api/v1/tickets/:id/watchers': [{ userId: s.user }],
    'POST /api/v1/tickets/:id/links': [{ ticketId: s.ticket }],
    'POST /api/v1/tickets/:id/merge': [{ into: s.ticket }],
    'POST /api/v1/enrollment-tokens': [{ branchId: s.branch }],
    'POST /api/v1/users': [
      { username: 'intruder', password: PASSWORD, role: 'viewer', tenantId: s.tenant },
      { username: 'intruder2', password: PASSWORD, role: 'viewer', branchIds: [s.branch] },
    ],
    'PATCH /api/v1/users/:id': [{ disabled: true }, { role: 'viewer' }, { branchIds: [s.branch] }],
    'POST /api/v1/roles': [{ name: 'intruder', permissions: ['tickets.read'], tenantId: s.tenant }],
    'PATCH /api/v1/roles/:id': [{ name: 'hacked' }],
    'POST /api/v1/support-groups': [{ name: 'intruders', leadId: s.user }],
    // B's provider must not take A's domain, A's branches or A's custom role.
    'POST /api/v1/identity-providers': [
      {
        kind: 'oidc',
        name: 'intruder',
        tenantId: s.tenant,
        settings: { issuer: 'http://127.0.0.1:9/intruder', clientId: 'x' },
      },
      {
        kind: 'oidc',
        name: 'intruder2',
        domains: [`${A_SLUG}.example`],
        settings: { issuer: 'http://127.0.0.1:9/intruder', clientId: 'x' },
      },
      {
        kind: 'oidc',
        name: 'intruder3',
        settings: { issuer: 'http://127.0.0.1:9/intruder', clientId: 'x' },
        rules: [{ claim: 'groups', value: 'x', role: 'viewer', branchIds: [s.branch] }],
      },
      {
        kind: 'oidc',
        name: 'intruder4',
        settings: { issuer: 'http://127.0.0.1:9/intruder', clientId: 'x' },
        rules: [{ claim: 'groups', value: 'x', customRoleId: s.role }],
      },
    ],
    'PUT /api/v1/identity-providers/:id': [
      {
        kind: 'oidc',
        name: 'hacked',
        settings: { issuer: 'http://127.0.0.1:9/intruder', clientId: 'x' },
      },
    ],
    'POST /api/v1/identity-providers/:id/test': [{ username: 'x', password: 'y' }],
    // B's admin must not require A's provider or make A's people break-glass.
    'PUT /api/v1/sign-in-settings': [
      { tenantId: s.tenant, ssoRequired: false, breakGlassUserIds: [] },
      { ssoRequired: false, breakGlassUserIds: [s.user] },
    ],
    'PUT /api/v1/branding/settings': [
      { tenantId: s.tenant, productName: 'hacked', accentColor: '#000000' },
    ],
    'POST /api/v1/knowledge/articles': [
      { tenantId: s.tenant, translations: [{ language: 'en', title: 'x', body: 'x' }] },
    ],
    'PATCH /api/v1/knowledge/articles/:id': [{ state: 'archived' }, { audience: 'internal' }],
    'PUT /api/v1/knowledge/articles/:id/translations/:language': [{ title: 'x', body: 'x' }],
    'POST /api/v1/knowledge/articles/:id/rollback': [{ language: 'en', version: 1 }],
    // A's person is neither exported nor erased, and A's retention neither read nor set.
    'POST /api/v1/users/:id/erase': [{ dryRun: true }, { dryRun: false }],
    'PUT /api/v1/retention': [
      {
        tenantId: s.tenant,
        roundsDays: 2,
        attachmentsDays: 1,
        closedTicketsDays: 30,
        auditDays: 90,
      },
    ],
  };
  const generic = { branchId: s.branch, agentId: s.agent, checkId: s.check, ticketId: s.ticket };
  return [{}, generic, ...(specific[key] ?? [])];
}

/**
 * A request that also ends streams (SSE) 2 s after they answer, returning what came so far. An
 * answer itself may take longer on a loaded machine (a first PDF or workbook loads its
 * library): 30 s for it.
 */
async function call(api: ApiClient, method: string, path: string, body?: unknown) {
  const token = (api as unknown as { token: string }).token;
  const abort = new AbortController();
  let timer = setTimeout(() => abort.abort(), 30_000);
  try {
    const res = await fetch(api.baseUrl + path, {
      method,
      signal: abort.signal,
      // A redirect is read as answered: a sign-in route sends browsers on to the tenant's IdP,
      // an address the test never reaches.
      redirect: 'manual',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let text = '';
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), 2000);
    }
    try {
      text = await res.text();
    } catch {
      // a stream ended by the abort: keep what was read (nothing, with text())
    }
    return { status: res.status, text };
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  // The seeding agents disconnect before the walk, which takes longer than the default grace
  // on a loaded machine: an "agent offline" ticket opening midway would change A's snapshot.
  // Likewise the seeded rounds are old, so a sweep midway would mark A's check stale: no
  // sweep runs during the walk.
  bot = await startTelegramStandin(BOT_TOKEN);
  t = await startTestHub({
    BW_ALERT_AGENT_OFFLINE_GRACE_SECONDS: '86400',
    BW_ALERT_SWEEP_SECONDS: '3600',
    BW_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    BW_TELEGRAM_API_URL: bot.url,
    BW_TELEGRAM_POLL_SECONDS: '1',
  });
  db = connectDatabase(t.databaseUrl);
  a = await seed(A_SLUG, CONFIDENTIAL);
  b = await seed('bravo', 'bravo-public');
  for (const client of mqttClients) client.end(true);
}, 120_000);

afterAll(async () => {
  for (const client of mqttClients) client.end(true);
  await db?.destroy();
  await t?.stop();
  await bot?.close();
});

describe('cross-tenant walk', () => {
  it("lets a tenant admin of B see and change nothing of A's on any route", async () => {
    const before = await snapshotOf(a);
    const walker = new ApiClient(t.api.baseUrl);
    await walker.login('bravo-admin', PASSWORD);

    // The walk is not vacuous: B sees its own objects.
    const own = await walker.get<{ items: { id: string }[] }>('/api/v1/tickets');
    expect(own.items.map((i) => i.id).sort()).toEqual([b.ticket, b.ticket2].sort());

    const aIds = [
      a.tenant,
      a.branch,
      a.branch2,
      a.agent,
      a.check,
      a.ticket,
      a.ticket2,
      a.user,
      a.role,
      a.rule,
      a.provider,
      a.samlProvider,
      a.article,
      a.articleFile,
      a.schedule,
      a.pushSubscription,
    ];
    const skip = new Set(['POST /api/v1/auth/logout', 'DELETE /api/v1/auth/sessions']);
    const leaks: string[] = [];
    let requests = 0;
    for (const key of registeredRoutes()) {
      if (skip.has(key)) continue;
      const [method, pattern] = key.split(' ') as [string, string];
      const paths = pattern.includes(':')
        ? aIds.map((id) => pattern.replace(/:language/g, 'en').replace(/:[A-Za-z]+/g, id))
        : [pattern, `${pattern}?branch=${a.branch}`];
      const bodies = method === 'GET' || method === 'DELETE' ? [undefined] : bodiesFor(key, a);
      for (const path of paths)
        for (const body of bodies) {
          const res = await call(walker, method, path, body);
          requests++;
          // An id B itself sent may be echoed back ("ticket … does not exist"); any other is
          // a leak.
          const sent = path + JSON.stringify(body ?? null);
          const seen =
            res.text.includes(CONFIDENTIAL) ||
            (res.status < 300 &&
              (res.text.includes(A_SLUG) ||
                aIds.some((id) => res.text.includes(id) && !sent.includes(id))));
          if (seen)
            leaks.push(
              `${method} ${path} ${JSON.stringify(body)} → ${res.status}: ${res.text.slice(0, 200)}`,
            );
        }
    }
    expect(requests).toBeGreaterThan(300);
    expect(leaks).toEqual([]);
    expect(await snapshotOf(a)).toEqual(before);
  }, 300_000);
});

describe('the other ways in, as a tenant admin of B', () => {
  let walker: ApiClient;
  const B_TELEGRAM = 6100;
  const aIds = () => [
    a.tenant,
    a.branch,
    a.branch2,
    a.agent,
    a.check,
    a.ticket,
    a.ticket2,
    a.user,
    a.article,
    a.articleFile,
  ];

  beforeAll(async () => {
    walker = new ApiClient(t.api.baseUrl);
    await walker.login('bravo-admin', PASSWORD);
  });

  it("does nothing to A's tickets through the Telegram bot, and names none of them", async () => {
    const before = await snapshotOf(a);
    expect(await linkTelegram(walker, bot, B_TELEGRAM)).toMatch(/now linked/);
    const said: string[] = [];
    for (const command of [
      `/ack ${a.ticketNumber}`,
      `/resolve ${a.ticketNumber}`,
      `/comment ${a.ticketNumber} hacked`,
    ]) {
      const answer = await ask(bot, B_TELEGRAM, command);
      expect(answer).toBe(`Ticket #${a.ticketNumber} does not exist.`);
      said.push(answer);
    }
    expect(said.join('\n')).not.toContain(CONFIDENTIAL);
    for (const id of aIds()) expect(said.join('\n')).not.toContain(id);
    // The knowledge base through the bot: B's own article, none of A's.
    const kb = await ask(bot, B_TELEGRAM, '/kb runbook');
    expect(kb).toContain('bravo bravo-public runbook');
    expect(kb).not.toContain(CONFIDENTIAL);
    expect(await ask(bot, B_TELEGRAM, `/kb ${A_SLUG}`)).toBe(`No article found for “${A_SLUG}”.`);
    expect(await snapshotOf(a)).toEqual(before);
  });

  it("finds none of A's articles in B's search, suggestions, report or runbooks", async () => {
    for (const path of [
      '/api/v1/knowledge/search?q=runbook',
      '/api/v1/knowledge/suggestions?q=runbook',
      '/api/v1/knowledge/articles',
      '/api/v1/knowledge/report',
      `/api/v1/knowledge/tickets/${b.ticket}/runbooks`,
    ]) {
      const res = await call(walker, 'GET', path);
      expect(res.status, path).toBe(200);
      // B's own /kb search above named A's slug; A's search ("… nothing") is A's alone.
      expect(res.text, path).not.toContain(`${A_SLUG} nothing`);
      expect(res.text, path).not.toContain(a.article);
      expect(res.text, path).not.toContain(CONFIDENTIAL);
    }
    const own = await walker.get<{ items: { id: string }[] }>('/api/v1/knowledge/search?q=runbook');
    expect(own.items.map((i) => i.id)).toEqual([b.article]);
  });

  it("reads, lists and removes none of A's article files, by their real address either", async () => {
    const before = await snapshotOf(a);
    const aFile = `/api/v1/knowledge/articles/${a.article}/files/${a.articleFile}`;
    // A's file under B's own article, and A's article's list.
    const tries = [
      await call(walker, 'GET', aFile),
      await call(walker, 'DELETE', aFile),
      await call(walker, 'GET', `/api/v1/knowledge/articles/${a.article}/files`),
      await call(walker, 'GET', `/api/v1/knowledge/articles/${b.article}/files/${a.articleFile}`),
      await call(
        walker,
        'DELETE',
        `/api/v1/knowledge/articles/${b.article}/files/${a.articleFile}`,
      ),
    ];
    expect(tries.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    for (const r of tries) expect(r.text).not.toContain(CONFIDENTIAL);
    // B reads its own image: the refusals above are about A, not about files.
    const ownFile = await call(
      walker,
      'GET',
      `/api/v1/knowledge/articles/${b.article}/files/${b.articleFile}`,
    );
    expect(ownFile.status).toBe(200);
    expect(await snapshotOf(a)).toEqual(before);
  });

  it("hears nothing of A's on the live stream", async () => {
    const token = (walker as unknown as { token: string }).token;
    const live = stream(t.api.baseUrl, token);
    try {
      expect((await live.opened).status).toBe(200);
      await t.api.request('PATCH', `/api/v1/tickets/${a.ticket}`, { priority: 'high' });
      await t.api.request('PATCH', `/api/v1/tickets/${b.ticket}`, { priority: 'high' });
      await waitFor("B's own event", async () =>
        live.messages.find((m) => m.data.ticketId === b.ticket),
      );
      const heard = JSON.stringify(live.messages);
      for (const id of aIds()) expect(heard).not.toContain(id);
    } finally {
      live.close();
    }
  });

  it("exports B's tickets and none of A's", async () => {
    const token = (walker as unknown as { token: string }).token;
    for (const query of ['', `?branch=${a.branch}`, `?q=${CONFIDENTIAL}`]) {
      const res = await fetch(`${t.api.baseUrl}/api/v1/tickets/export.csv${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const csv = await res.text();
      expect(csv).not.toContain(CONFIDENTIAL);
      expect(csv).not.toContain(A_SLUG);
      if (query === '') expect(csv).toContain('bravo bravo-public outage');
    }
  });

  it("reports and exports B's figures and none of A's", async () => {
    const token = (walker as unknown as { token: string }).token;
    const range = `from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`;
    const base = `${t.api.baseUrl}/api/v1/reports`;
    const get = (path: string) =>
      fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    // A's tenant or branch named in the filter: refused, or ignored for B's own tenant.
    for (const format of ['', '.csv', '.xlsx', '.pdf']) {
      const own = await get(`/dashboard${format}?${range}&tenant=${a.tenant}`);
      expect(own.status).toBe(200);
      const text = await readable(format, Buffer.from(await own.arrayBuffer()));
      expect(text).not.toContain(CONFIDENTIAL);
      expect(text).not.toContain(A_SLUG);
      const other = await get(`/dashboard${format}?${range}&branch=${a.branch}`);
      expect(other.status).toBe(404);
    }
    const dashboard = (await (await get(`/dashboard?${range}`)).json()) as {
      tenantId: string;
      counts: { status: { tickets: number }[] };
      availability: { branchId: string }[];
    };
    expect(dashboard.tenantId).toBe(b.tenant);
    expect(dashboard.counts.status.reduce((n, r) => n + r.tickets, 0)).toBe(
      Number(
        (await db('tickets').where({ tenant_id: b.tenant }).count<{ n: string }[]>('* as n'))[0]!.n,
      ),
    );
    const bBranches = await db('branches').where({ tenant_id: b.tenant }).pluck('id');
    expect(dashboard.availability.map((l) => l.branchId).sort()).toEqual(bBranches.sort());
    const csv = await (await get(`/dashboard.csv?${range}`)).text();
    expect(csv).toContain('bravo-hq');
  });

  /** The text of an export: a workbook's cells read back, else the bytes as UTF-8. */
  async function readable(format: string, bytes: Buffer): Promise<string> {
    if (format === '.pdf') {
      return execFileSync('pdftotext', ['-', '-'], { input: bytes, encoding: 'utf8' });
    }
    if (format !== '.xlsx') return bytes.toString('utf8');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    const cells: unknown[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => cells.push(...(row.values as unknown[]))));
    expect(cells.length).toBeGreaterThan(10);
    return cells.join('\n');
  }

  it("reads none of A's sign-ins in the SSO security report", async () => {
    // A's admin signs in, once wrong: events of A's that B's report must not count or name.
    const intruder = new ApiClient(t.api.baseUrl);
    expect(
      (
        await intruder.request('POST', '/api/v1/auth/login', {
          username: `${A_SLUG}-admin`,
          password: 'not-the-password-1',
        })
      ).status,
    ).toBe(401);
    await intruder.login(`${A_SLUG}-admin`, PASSWORD);
    const token = (walker as unknown as { token: string }).token;
    const get = (path: string) =>
      fetch(`${t.api.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    for (const path of ['/sso-report', '/sso-report.csv']) {
      expect((await get(`${path}?tenantId=${a.tenant}`)).status, path).toBe(404);
      const own = await get(path);
      expect(own.status, path).toBe(200);
      const text = await own.text();
      expect(text, path).not.toContain(A_SLUG);
      expect(text, path).not.toContain(a.user);
    }
    const { report } = (await (await get('/sso-report')).json()) as {
      report: { tenantId: string };
    };
    expect(report.tenantId).toBe(b.tenant);
    const seen = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [b.tenant]);
      return trx('sign_in_events').pluck('tenant_id');
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([b.tenant]));
  });

  it("reads and sets none of A's branding, by its id or by row-level security", async () => {
    const token = (walker as unknown as { token: string }).token;
    const call = (method: string, path: string) =>
      fetch(`${t.api.baseUrl}/api/v1/branding${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
        ...(method === 'PUT' ? { body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) } : {}),
      });
    for (const [method, path] of [
      ['GET', '/settings'],
      ['GET', '/settings/logo'],
      ['PUT', '/settings/logo'],
      ['DELETE', '/settings/logo'],
    ] as const) {
      const res = await call(method, `${path}?tenantId=${a.tenant}`);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toContain(CONFIDENTIAL);
    }
    expect(await (await call('GET', '')).text()).not.toContain(CONFIDENTIAL);
    const seen = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [b.tenant]);
      const rows = (await trx('branding').pluck('tenant_id')) as (string | null)[];
      // Writing A's row as B changes nothing.
      const changed = await trx('branding')
        .where({ tenant_id: a.tenant })
        .update({ product_name: 'hacked' });
      return { rows, changed };
    });
    expect(seen.rows).toEqual([b.tenant]);
    expect(seen.changed).toBe(0);
    const aRow = await db('branding').where({ tenant_id: a.tenant }).first('product_name');
    expect(aRow.product_name).toBe(`${CONFIDENTIAL} Desk`);
  });

  it("puts none of A's people into B's support groups", async () => {
    const before = await snapshotOf(a);
    const { group } = await walker.post<{ group: { id: string } }>('/api/v1/support-groups', {
      name: 'Bravo night',
    });
    const tries = [
      await walker.request('PUT', `/api/v1/support-groups/${group.id}/members/${a.user}`, {}),
      await walker.request('PATCH', `/api/v1/support-groups/${group.id}`, { leadId: a.user }),
      await walker.request('POST', '/api/v1/support-groups', { name: 'x', leadId: a.user }),
    ];
    expect(tries.map((r) => r.status)).toEqual([404, 400, 400]);
    expect(await snapshotOf(a)).toEqual(before);
  });
});

describe('row-level security in PostgreSQL', () => {
  it('shows bw_api only the tenant set in app.tenant_id', async () => {
    const counts = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [b.tenant]);
      const count = async (table: string) =>
        Number((await trx(table).count<{ n: string }[]>('* as n'))[0]!.n);
      return {
        tickets: await count('tickets'),
        branches: await count('branches'),
        checkResults: await count('check_results'),
        ticketEvents: await count('ticket_events'),
        aTickets: Number(
          (await trx('tickets').where({ tenant_id: a.tenant }).count<{ n: string }[]>('* as n'))[0]!
            .n,
        ),
      };
    });
    const all = async (table: string, tenant: string) =>
      Number((await db(table).where({ tenant_id: tenant }).count<{ n: string }[]>('* as n'))[0]!.n);
    // The walk above may have added rows to B: compare with what the superuser counts.
    const bChecks = db('checks').where({ tenant_id: b.tenant }).select('id');
    const bTickets = db('tickets').where({ tenant_id: b.tenant }).select('id');
    expect(counts.tickets).toBe(await all('tickets', b.tenant));
    expect(counts.branches).toBe(await all('branches', b.tenant));
    expect(counts.checkResults).toBe(
      Number(
        (
          await db('check_results').whereIn('check_id', bChecks).count<{ n: string }[]>('* as n')
        )[0]!.n,
      ),
    );
    expect(counts.ticketEvents).toBe(
      Number(
        (
          await db('ticket_events').whereIn('ticket_id', bTickets).count<{ n: string }[]>('* as n')
        )[0]!.n,
      ),
    );
    expect(counts.checkResults).toBe(2);
    expect(counts.aTickets).toBe(0);
    expect(await all('tickets', a.tenant)).toBe(2);
  });

  it("runs a request as bw_api in its tenant's scope, on the one connection its access was read on", async () => {
    const scope = new RequestScope(db);
    const one = async <T>(sql: string) =>
      ((await scope.db.raw(sql)) as { rows: Record<string, T>[] }).rows[0]!;
    let accessReadOn = 0;
    const seen = await scope.run(
      async () => {
        // As the hub reads a user's access: before the role changes, on the request's connection.
        accessReadOn = (await one<number>('SELECT pg_backend_pid() AS pid')).pid!;
        return { tenantId: b.tenant, branchIds: [] };
      },
      async () => ({
        ...(await one<string | number>(
          "SELECT current_user AS role, pg_backend_pid() AS pid, current_setting('app.tenant_id') AS tenant",
        )),
        aTickets: (await scope.db('tickets').where({ tenant_id: a.tenant })).length,
        bTickets: (await scope.db('tickets').where({ tenant_id: b.tenant })).length,
      }),
    );
    expect(seen).toMatchObject({
      role: 'bw_api',
      pid: accessReadOn,
      tenant: b.tenant,
      aTickets: 0,
    });
    expect(seen.bTickets).toBeGreaterThan(0);
    // The role and scope ended with the transaction: the pool's connections are as they were.
    const after = await Promise.all(
      Array.from({ length: 4 }, () =>
        db.raw("SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant"),
      ),
    );
    for (const { rows } of after as { rows: { role: string; tenant: string | null }[] }[]) {
      expect(rows[0]!.role).not.toBe('bw_api');
      expect(rows[0]!.tenant ?? '').toBe('');
    }
  });

  it("refuses to write a row into another tenant's scope", async () => {
    const attempt = db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [b.tenant]);
      await trx('branches').insert({ tenant_id: a.tenant, slug: 'smuggled', name: 'smuggled' });
    });
    await expect(attempt).rejects.toThrow(/row-level security/);
    const updated = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [b.tenant]);
      return trx('tickets').where({ id: a.ticket }).update({ subject: 'hacked' });
    });
    expect(updated).toBe(0);
  });

  it('limits a branch-scoped user to their branches through the API', async () => {
    const { user } = await t.api.post<{ user: { id: string } }>('/api/v1/users', {
      username: 'bravo-shop-agent',
      password: PASSWORD,
      role: 'support_agent',
      tenantId: b.tenant,
      branchIds: [b.branch2],
    });
    expect(user).toMatchObject({ branchIds: [b.branch2], tenantId: b.tenant });
    const scoped = new ApiClient(t.api.baseUrl);
    await scoped.login('bravo-shop-agent', PASSWORD);
    const tickets = await scoped.get<{ items: { id: string }[] }>('/api/v1/tickets');
    expect(tickets.items.map((i) => i.id)).toEqual([b.ticket2]);
    const branches = await scoped.get<{ items: { id: string }[] }>('/api/v1/branches');
    expect(branches.items.map((i) => i.id)).toEqual([b.branch2]);
    expect((await scoped.request('GET', `/api/v1/tickets/${b.ticket}`)).status).toBe(404);
    // A support agent may not administer users.
    expect((await scoped.request('GET', '/api/v1/users')).status).toBe(403);
  });

  it("keeps a requester of one branch out of the other branch's and tenant's tickets", async () => {
    await t.api.post('/api/v1/users', {
      username: 'bravo-shop-clerk',
      password: PASSWORD,
      role: 'requester',
      tenantId: b.tenant,
      branchIds: [b.branch2],
    });
    const clerk = new ApiClient(t.api.baseUrl);
    await clerk.login('bravo-shop-clerk', PASSWORD);
    // A custom role could share the branch's tickets; the scope still ends at the branch.
    for (const id of [b.ticket, a.ticket, a.ticket2]) {
      for (const [method, path, body] of [
        ['GET', `/api/v1/portal/tickets/${id}`, undefined],
        ['PUT', `/api/v1/portal/tickets/${id}/follow`, undefined],
        ['POST', `/api/v1/portal/tickets/${id}/replies`, { body: 'hacked' }],
        ['PUT', `/api/v1/portal/tickets/${id}/rating`, { score: 1 }],
        ['POST', `/api/v1/portal/tickets/${id}/reopen`, {}],
      ] as const)
        expect((await clerk.request(method, path, body)).status).toBe(404);
      // The desk's routes are not a requester's at all.
      expect((await clerk.request('GET', `/api/v1/tickets/${id}`)).status).toBe(403);
    }
    const filed = await clerk.request('POST', '/api/v1/portal/tickets', {
      subject: 'x',
      body: 'x',
      branchId: a.branch,
    });
    expect(filed.status).toBe(400);
    expect(JSON.stringify(await clerk.get('/api/v1/portal/tickets'))).not.toContain(b.ticket);
  });

  it("keeps A's notifications out of B's centre, in the API and in PostgreSQL", async () => {
    const [row] = (await db('inbox_notifications')
      .insert({
        tenant_id: a.tenant,
        branch_id: a.branch,
        user_id: a.user,
        ticket_id: a.ticket,
        kind: 'reply',
        data: { number: 1, subject: CONFIDENTIAL, author: null },
        source_key: 'cross-tenant',
      })
      .returning('id')) as { id: string }[];
    const walker = new ApiClient(t.api.baseUrl);
    await walker.login('bravo-admin', PASSWORD);
    for (const [method, path, body] of [
      ['PUT', `/api/v1/notifications/${row!.id}/read`, {}],
      ['DELETE', `/api/v1/notifications/${row!.id}/read`, undefined],
    ] as const)
      expect((await walker.request(method, path, body)).status).toBe(404);
    expect(JSON.stringify(await walker.get('/api/v1/notifications'))).not.toContain(CONFIDENTIAL);
    await walker.post('/api/v1/notifications/read', {});
    expect(
      (await db('inbox_notifications').where({ id: row!.id }).first('read_at')).read_at,
    ).toBeNull();
    const seen = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [b.tenant]);
      return Number((await trx('inbox_notifications').count<{ n: string }[]>('* as n'))[0]!.n);
    });
    expect(seen).toBe(0);
  });
  it("keeps A's push subscriptions and the hub's push key out of B's reach", async () => {
    const walker = new ApiClient(t.api.baseUrl);
    await walker.login('bravo-admin', PASSWORD);
    const res = await walker.request(
      'DELETE',
      `/api/v1/notify/push/subscriptions/${a.pushSubscription}`,
    );
    expect(res.status).toBe(404);
    // B's admin sees their own browser's subscription (the walk is not vacuous), none of A's.
    const own = await walker.get<{ subscriptions: { endpoint: string }[] }>('/api/v1/notify/push');
    expect(own.subscriptions.map((s) => s.endpoint)).toEqual([expect.stringContaining('bravo')]);
    expect(await db('push_subscriptions').where({ id: a.pushSubscription })).toHaveLength(1);
    const seen = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [b.tenant]);
      return trx('push_subscriptions').select<{ endpoint: string }[]>('endpoint');
    });
    // The sealed private key is the hub's own: an API request's role reads none of it.
    const key = await db
      .transaction(async (trx) => {
        await trx.raw('SET LOCAL ROLE bw_api');
        await trx('push_vapid_keys').select('id');
      })
      .then(
        () => 'read',
        (err: Error) => err.message,
      );
    expect(seen.map((r) => r.endpoint)).toEqual([expect.stringContaining('bravo')]);
    expect(key).toContain('permission denied');
  });

  it("streams a requester only their own tickets: nothing of A's, of another branch or a colleague's", async () => {
    // The requester of B's shop made by the test before.
    const clerk = new ApiClient(t.api.baseUrl);
    await clerk.login('bravo-shop-clerk', PASSWORD);
    const token = (clerk as unknown as { token: string }).token;
    const live = stream(t.api.baseUrl, token, '/api/v1/portal/events/stream');
    try {
      expect((await live.opened).status).toBe(200);
      // A's tickets, B's head office's, and a colleague's at B's shop: none are the clerk's.
      for (const id of [a.ticket, a.ticket2, b.ticket, b.ticket2])
        await t.api.request('PATCH', `/api/v1/tickets/${id}`, { priority: 'low' });
      const { ticket } = await clerk.post<{ ticket: { id: string } }>('/api/v1/portal/tickets', {
        subject: 'Shop printer',
        body: 'It prints blank pages',
        branchId: b.branch2,
      });
      await waitFor("the clerk's own ticket", async () =>
        live.messages.find((m) => m.data.ticketId === ticket.id),
      );
      // In order: the others came first, and none was let through.
      const heard = JSON.stringify(live.messages);
      for (const id of [a.tenant, a.branch, a.branch2, a.ticket, a.ticket2, b.ticket, b.ticket2])
        expect(heard).not.toContain(id);
      expect(live.messages.every((m) => m.data.tenantId === b.tenant)).toBe(true);
      // The help desk answers: the clerk's notification centre says so on the stream.
      await t.api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'Try another roll' });
      const clerkId = (await db('users').where({ username: 'bravo-shop-clerk' }).first('id')).id;
      const news = await waitFor('the notification', async () =>
        live.messages.find((m) => m.event === 'inbox.added'),
      );
      expect(news.data).toMatchObject({ type: 'inbox.added', userId: clerkId, tenantId: b.tenant });
    } finally {
      live.close();
    }
    // The desk's stream is not a requester's.
    const desk = stream(t.api.baseUrl, token);
    try {
      expect((await desk.opened).status).toBe(403);
    } finally {
      desk.close();
    }
  });
});
