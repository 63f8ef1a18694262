import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { samlSignIn, startSamlIdp, type TestSamlIdp } from '../../../test/support/saml-idp.js';
import { tenantWithBranches } from '../../../test/support/sso-people.js';
import { createLogger } from '../core/logger.js';
import { connectDatabase, type Database } from '../db/database.js';
import { providerName, recentSignInFindings } from '../identity/sso/sign-in-events.js';
import { AlertTicketRepository } from './alert-ticket.repository.js';
import { SsoFindingAlerts } from './sso-finding-alerts.js';

/**
 * SHA-1 and clock skew seen in real sign-ins (samlify signing rsa-sha1; its clock moved) open
 * one ticket per provider and finding in the provider's tenant, as soon as the sign-in is
 * recorded; a later finding of the same kind opens no second one; a day without such an
 * answer, or a change of the provider's SHA-1 setting, resolves it. Time is moved, not waited.
 */

const HOUR = 3600_000;
let t: TestHub;
let db: Database;
let idp: TestSamlIdp;
let tenantId: string;
let providerId: string;
let hubUrl: string;
let alerts: SsoFindingAlerts;

const ticketsOf = (finding: string) =>
  db('tickets')
    .where({ fingerprint: `sso-finding:${finding}:${providerId}` })
    .orderBy('opened_at')
    .select('id', 'state', 'subject', 'tenant_id', 'priority');

const notesOf = async (ticketId: string) =>
  (
    (await db('ticket_events').where({ ticket_id: ticketId }).orderBy('at').select('body')) as {
      body: string;
    }[]
  )
    .map((e) => e.body)
    .join('\n');

/** The hub looks once the sign-in is recorded: its ticket appears without a wait of ours. */
const ticketAppears = (finding: string) =>
  vi.waitFor(
    async () => {
      const open = (await ticketsOf(finding)).filter((x) => x.state === 'open');
      expect(open).toHaveLength(1);
      return open[0]!;
    },
    { timeout: 20_000, interval: 100 },
  );

const setSha1 = async (acceptSha1: boolean) => {
  const put = await t.api.request('PUT', `/api/v1/identity-providers/${providerId}`, {
    kind: 'saml',
    name: 'Legacy IdP',
    defaultRole: 'viewer',
    settings: { idpMetadataXml: idp.metadataXml, acceptSha1 },
  });
  expect(put.status).toBe(200);
};

beforeAll(async () => {
  t = await startTestHub();
  hubUrl = t.api.baseUrl;
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  idp = await startSamlIdp();
  tenantId = (await tenantWithBranches(t.api, 'finding', ['finding-hq'])).id;
  const res = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'saml',
    tenantId,
    name: 'Legacy IdP',
    defaultRole: 'viewer',
    settings: { idpMetadataXml: idp.metadataXml },
  });
  expect(res.status).toBe(201);
  providerId = (res.body.provider as { id: string }).id;
  idp.people.set('leila', { email: 'leila@finding.example', groups: [] });
  alerts = new SsoFindingAlerts(
    new AlertTicketRepository(db),
    (since) => recentSignInFindings(db, since),
    (id) => providerName(db, id),
    {},
    createLogger('silent'),
  );
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await idp?.stop();
});

describe('sign-in finding alerts', () => {
  it('opens one SHA-1 ticket, keeps it for a second answer, resolves it after a quiet day', async () => {
    idp.hash = 'sha1';
    expect((await samlSignIn(hubUrl, idp, providerId, 'leila')).location).toBe(
      `${hubUrl}/login?sso=failed`,
    );
    const ticket = await ticketAppears('sha1');
    expect(ticket).toMatchObject({
      tenant_id: tenantId,
      priority: 'high',
      subject: 'Sign-in provider Legacy IdP signs with SHA-1',
    });
    expect(await notesOf(ticket.id)).toContain(
      'The sign-in provider Legacy IdP signed an answer with SHA-1 at',
    );
    expect(await notesOf(ticket.id)).toContain('; it was refused.');

    // Refused again: still the one ticket.
    await samlSignIn(hubUrl, idp, providerId, 'leila');
    const now = Date.now();
    expect(await alerts.check(new Date(now))).toEqual({ opened: [], resolved: [] });
    expect(await ticketsOf('sha1')).toHaveLength(1);

    // Nothing for a day: resolved, with a note saying so.
    expect((await alerts.check(new Date(now + 23 * HOUR))).resolved).toEqual([]);
    expect((await alerts.check(new Date(now + 25 * HOUR))).resolved).toEqual([
      `sha1:${providerId}`,
    ]);
    expect(await ticketsOf('sha1')).toMatchObject([{ state: 'resolved' }]);
    expect(await notesOf(ticket.id)).toContain(
      'No answer of the sign-in provider Legacy IdP has shown this for a day',
    );
  });

  it('resolves the SHA-1 ticket when the provider’s setting changes', async () => {
    await samlSignIn(hubUrl, idp, providerId, 'leila');
    const ticket = await ticketAppears('sha1');
    await setSha1(true);
    expect((await alerts.check()).resolved).toEqual([`sha1:${providerId}`]);
    expect(await notesOf(ticket.id)).toContain(
      'The SHA-1 setting of the sign-in provider Legacy IdP was changed',
    );
    // Accepted now: a new finding, a new ticket that says so.
    expect((await samlSignIn(hubUrl, idp, providerId, 'leila')).location).toBe(`${hubUrl}/`);
    const again = await ticketAppears('sha1');
    expect(again.id).not.toBe(ticket.id);
    expect(await notesOf(again.id)).toContain('it was accepted, as the provider is set to allow');
    await setSha1(false);
    await alerts.check();
    idp.hash = 'sha256';
  });

  it('opens a clock-skew ticket that says how far and which way', async () => {
    idp.clockOffsetMs = -4 * 60_000;
    expect((await samlSignIn(hubUrl, idp, providerId, 'leila')).location).toBe(`${hubUrl}/`);
    idp.clockOffsetMs = 0;
    const ticket = await ticketAppears('clock_skew');
    expect(ticket.subject).toBe('The clock of sign-in provider Legacy IdP is off');
    expect(await notesOf(ticket.id)).toMatch(
      /the clock of the sign-in provider Legacy IdP was 4 min(?: \d+ s)? behind the hub's\./,
    );
    expect((await alerts.check(new Date(Date.now() + 25 * HOUR))).resolved).toContain(
      `clock_skew:${providerId}`,
    );
  });
});
