import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SERVICE_PASSWORD,
  startDirectory,
  type TestDirectory,
} from '../../../../test/support/directory.js';
import { ApiClient } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/**
 * The SSO security report and the break-glass alert, against slapd on loopback: real sign-ins
 * through the tenant's LDAP provider and with the hub's password, refused ones of each kind,
 * counted per provider and by reason; enabled accounts that never signed in; a break-glass
 * sign-in opens one alert ticket for the tenant's admins and a second is a note on it; another
 * tenant's admin reads none of it, through the API or in PostgreSQL.
 */

let slapd: TestDirectory;
let t: TestHub;
let db: Database;
let acme: string;
let globex: string;
let providerId: string;
let admin: ApiClient;
const PASSWORD = 'report-admin-password-1';
const people = () => slapd.people;

async function signIn(username: string, password: string) {
  const client = new ApiClient(t.api.baseUrl);
  const res = await client.request('POST', '/api/v1/auth/login', { username, password });
  return res.status;
}

interface Report {
  tenantId: string;
  providers: {
    providerId: string | null;
    name: string | null;
    method: string;
    signIns: number;
    failures: number;
  }[];
  failures: { reason: string; count: number }[];
  neverSignedIn: { total: number; items: { username: string; breakGlass: boolean }[] };
  breakGlass: { total: number; items: { username: string; ip: string | null }[] };
}

beforeAll(async () => {
  slapd = await startDirectory({
    people: [{ uid: 'ali' }, { uid: 'reza' }],
    groups: [{ cn: 'NOC Staff', members: ['ali'] }],
  });
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  const tenant = async (slug: string) =>
    (await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', { slug, name: slug })).tenant
      .id;
  acme = await tenant('acme');
  globex = await tenant('globex');
  for (const [username, role, tenantId] of [
    ['acme-admin', 'tenant_admin', acme],
    ['acme-agent', 'support_agent', acme],
    ['acme-never', 'viewer', acme],
    ['globex-admin', 'tenant_admin', globex],
  ] as const)
    await t.api.post('/api/v1/users', { username, password: PASSWORD, role, tenantId });
  admin = new ApiClient(t.api.baseUrl);
  await admin.login('acme-admin', PASSWORD);
  const res = await admin.request('POST', '/api/v1/identity-providers', {
    kind: 'ldap',
    name: 'Head office directory',
    domains: ['example.org'],
    settings: {
      url: slapd.url,
      bindDn: `cn=hub-reader,ou=services,${slapd.suffix}`,
      userBaseDn: people(),
      userFilter: '(&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))',
      groupLookup: 'memberOf',
    },
    bindPassword: SERVICE_PASSWORD,
    rules: [{ claim: 'groups', value: 'NOC Staff', role: 'noc_operator' }],
  });
  expect(res.status).toBe(201);
  providerId = (res.body.provider as { id: string }).id;
}, 90_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await slapd?.stop();
});

const breakGlassTickets = () =>
  db('tickets')
    .where({ fingerprint: `sso-break-glass:${acme}` })
    .select('id', 'tenant_id', 'subject', 'state', 'priority', 'alert_kind');

describe('SSO security report', () => {
  it('raises one alert ticket for break-glass sign-ins and a note for the next', async () => {
    // Through the directory: in, a wrong password, one nobody maps, one it does not know.
    expect(await signIn('ali@example.org', 'ali-directory-password')).toBe(200);
    expect(await signIn('ali@example.org', 'not-his-password')).toBe(401);
    expect(await signIn('reza@example.org', 'reza-directory-password')).toBe(403);
    expect(await signIn('nobody@example.org', 'whatever-password')).toBe(401);
    // The hub's own password: wrong, then right.
    expect(await signIn('acme-agent', 'wrong-password-1')).toBe(401);
    expect(await signIn('acme-agent', PASSWORD)).toBe(200);
    const acmeAdmin = await db('users').where({ username: 'acme-admin' }).first('id');
    const set = await admin.request('PUT', '/api/v1/sign-in-settings', {
      ssoRequired: true,
      breakGlassUserIds: [acmeAdmin.id],
    });
    expect(set.status).toBe(200);
    expect(await signIn('acme-agent', PASSWORD)).toBe(403);
    expect(await breakGlassTickets()).toEqual([]);

    expect(await signIn('acme-admin', PASSWORD)).toBe(200);
    const [ticket, ...more] = await breakGlassTickets();
    expect(more).toEqual([]);
    expect(ticket).toMatchObject({
      tenant_id: acme,
      subject: 'A break-glass account signed in with a password',
      state: 'open',
      priority: 'high',
      alert_kind: 'security',
    });
    const opened = await db('ticket_events')
      .where({ ticket_id: ticket!.id })
      .select('kind', 'body');
    expect(opened).toEqual([
      expect.objectContaining({
        kind: 'opened',
        body: expect.stringContaining('The break-glass account acme-admin signed in'),
      }),
    ]);

    expect(await signIn('acme-admin', PASSWORD)).toBe(200);
    expect((await breakGlassTickets()).map((x) => x.id)).toEqual([ticket!.id]);
    const events = await db('ticket_events')
      .where({ ticket_id: ticket!.id })
      .orderBy('at')
      .select('kind', 'body');
    expect(events.map((e) => e.kind)).toEqual(['opened', 'note']);
    expect(events[1].body).toContain('The break-glass account acme-admin signed in');
    // The tenant's admins see the ticket in their queue; the other tenant's do not.
    const queue = await admin.request('GET', `/api/v1/tickets/${ticket!.id}`);
    expect(queue.status).toBe(200);
    const other = new ApiClient(t.api.baseUrl);
    await other.login('globex-admin', PASSWORD);
    expect((await other.request('GET', `/api/v1/tickets/${ticket!.id}`)).status).toBe(404);
  });

  it('counts sign-ins per provider, refusals by reason, unused accounts and break-glass uses', async () => {
    const { report } = await admin.get<{ report: Report }>('/api/v1/sso-report');
    expect(report.tenantId).toBe(acme);
    const line = (id: string | null, method: string) =>
      report.providers.find((p) => p.providerId === id && p.method === method);
    // acme-admin's own sign-in in the set-up, acme-agent once, acme-admin twice as break-glass.
    expect(line(null, 'password')).toMatchObject({ signIns: 4, failures: 2 });
    expect(line(providerId, 'ldap')).toMatchObject({
      name: 'Head office directory',
      signIns: 1,
      failures: 3,
    });
    expect(report.failures).toEqual([
      { reason: 'invalid_credentials', count: 1 },
      { reason: 'no_role', count: 1 },
      { reason: 'not_in_directory', count: 1 },
      { reason: 'provider_required', count: 1 },
      { reason: 'wrong_password', count: 1 },
    ]);
    expect(report.neverSignedIn.items.map((u) => u.username)).toEqual(['acme-never']);
    expect(report.neverSignedIn.total).toBe(1);
    expect(report.breakGlass.total).toBe(2);
    expect(report.breakGlass.items.map((b) => b.username)).toEqual(['acme-admin', 'acme-admin']);

    // A period before any of it: nothing counted, the never-signed-in list stays.
    const before = await admin.get<{ report: Report }>(
      '/api/v1/sso-report?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
    );
    expect(before.report.providers.every((p) => p.signIns === 0 && p.failures === 0)).toBe(true);
    expect(before.report.breakGlass.total).toBe(0);
    expect(before.report.neverSignedIn.total).toBe(1);

    const backwards = await admin.request(
      'GET',
      '/api/v1/sso-report?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'to' } },
    });
    const tooLong = await admin.request(
      'GET',
      '/api/v1/sso-report?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    expect(tooLong.status).toBe(400);
  });

  it('gives the CSV with a byte order mark, in the reader’s language', async () => {
    const login = await fetch(`${t.api.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'acme-admin', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${t.api.baseUrl}/api/v1/sso-report.csv?lang=fr`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('Connexions par fournisseur\r\n');
    expect(text).toContain('Head office directory,LDAP / Active Directory,1,3\r\n');
    expect(text).toContain("L'annuaire a refusé le mot de passe,1\r\n");
    expect(text).toContain("Comptes jamais connectés\r\nNom d'utilisateur,Créé le\r\nacme-never,");
    expect(text).not.toContain('invalid_credentials');
  });

  it("keeps each tenant's report to its own admins", async () => {
    const other = new ApiClient(t.api.baseUrl);
    await other.login('globex-admin', PASSWORD);
    const named = await other.request('GET', `/api/v1/sso-report?tenantId=${acme}`);
    expect(named.status).toBe(404);
    const own = (await other.get<{ report: Report }>('/api/v1/sso-report')).report;
    expect(own.tenantId).toBe(globex);
    expect(own.providers).toEqual([
      // globex-admin signed in twice in this file, nothing else happened in globex.
      { providerId: null, name: null, method: 'password', signIns: 2, failures: 0 },
    ]);
    expect(own.failures).toEqual([]);
    expect(own.neverSignedIn.total).toBe(0);
    expect(own.breakGlass.total).toBe(0);
    // A global admin names the tenant.
    const global = await t.api.get<{ report: Report }>(`/api/v1/sso-report?tenantId=${acme}`);
    // acme-admin signed in three times as break-glass (twice above, once for the CSV).
    expect(global.report.breakGlass.total).toBe(3);
    const unnamed = await t.api.request('GET', '/api/v1/sso-report');
    expect(unnamed.status).toBe(400);
    // Row-level security itself: globex's scope reads none of acme's events.
    const seen = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [globex]);
      return (await trx('sign_in_events').select('tenant_id')) as { tenant_id: string }[];
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.tenant_id === globex)).toBe(true);
  });
});
