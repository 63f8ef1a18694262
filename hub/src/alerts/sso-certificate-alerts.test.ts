import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { startSamlIdp, type TestSamlIdp } from '../../../test/support/saml-idp.js';
import { tenantWithBranches } from '../../../test/support/sso-people.js';
import { createLogger } from '../core/logger.js';
import { connectDatabase, type Database } from '../db/database.js';
import { IdentityProviderRepository } from '../identity/sso/identity-provider.repository.js';
import { idpCertificateFacts, type SamlIdpSettings } from '../identity/sso/saml-metadata.js';
import { runExclusively } from '../db/job-lock.js';
import { AlertTicketRepository } from './alert-ticket.repository.js';
import { SsoCertificateAlerts } from './sso-certificate-alerts.js';

/**
 * A SAML provider's IdP certificate that ends within 14 days opens one ticket in its tenant,
 * like a failing check; later looks open no second one, even once it has ended; pasting a
 * certificate that lasts longer (a rollover: both kept) resolves it. Time is moved, not waited.
 */

const DAY = 86400_000;
let t: TestHub;
let db: Database;
let idp: TestSamlIdp;
let tenantId: string;
let providerId: string;
let alerts: SsoCertificateAlerts;

/** A self-signed certificate that holds `days` days from now, made with the openssl CLI. */
function certificate(days: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k')].concat([
        '-out',
        path.join(dir, 'c'),
        '-days',
        String(days),
        '-subj',
        `/CN=IdP ${days} days`,
      ]),
      { stdio: 'pipe' },
    );
    return fs.readFileSync(path.join(dir, 'c'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const settingsWith = (pem: string) => ({
  idpEntityId: idp.entityId,
  idpSsoUrl: idp.ssoUrl,
  idpCertificate: pem,
});

const ticketsOf = () =>
  db('tickets')
    .where({ fingerprint: `sso-certificate:${providerId}` })
    .orderBy('opened_at')
    .select('id', 'state', 'subject', 'tenant_id', 'priority');

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  idp = await startSamlIdp();
  tenantId = (await tenantWithBranches(t.api, 'cert', ['cert-hq'])).id;
  const res = await t.api.request('POST', '/api/v1/identity-providers', {
    kind: 'saml',
    tenantId,
    name: 'Cert SAML',
    settings: settingsWith(certificate(30)),
  });
  expect(res.status).toBe(201);
  providerId = (res.body.provider as { id: string }).id;
  alerts = alertsOn(db, false);
}, 120_000);

/** The alerts of one hub process, on its own connections; `locked`: as the hub runs them. */
function alertsOn(pool: Database, locked: boolean) {
  const repo = new IdentityProviderRepository(pool);
  return new SsoCertificateAlerts(
    new AlertTicketRepository(pool),
    async () =>
      (await repo.list(null))
        .filter((p) => p.kind === 'saml')
        .map((p) => ({
          providerId: p.id,
          tenantId: p.tenantId,
          name: p.name,
          notAfter: idpCertificateFacts(p.settings as SamlIdpSettings).map((c) => c.notAfter),
        })),
    {},
    createLogger('silent'),
    locked ? (work) => runExclusively(pool, 'bw:sso-certificate-alerts', () => work()) : undefined,
  );
}

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await idp?.stop();
});

describe('SAML certificate alerts', () => {
  it('opens one ticket 14 days before the end, keeps it once ended, resolves it when replaced', async () => {
    const now = Date.now();
    expect((await alerts.check(new Date(now + 10 * DAY))).opened).toEqual([]);
    expect(await ticketsOf()).toEqual([]);

    expect((await alerts.check(new Date(now + 20 * DAY))).opened).toEqual([providerId]);
    const [ticket] = await ticketsOf();
    expect(ticket).toMatchObject({
      state: 'open',
      tenant_id: tenantId,
      priority: 'high',
      subject: 'The signing certificate of Cert SAML ends soon',
    });
    // Later looks, the certificate ended meanwhile: still the one ticket.
    expect((await alerts.check(new Date(now + 21 * DAY))).opened).toEqual([]);
    expect((await alerts.check(new Date(now + 40 * DAY))).opened).toEqual([]);
    expect(await ticketsOf()).toHaveLength(1);

    // The IdP's admin rolls over: the new certificate pasted beside the old one.
    const put = await t.api.request('PUT', `/api/v1/identity-providers/${providerId}`, {
      kind: 'saml',
      name: 'Cert SAML',
      settings: settingsWith(`${certificate(30)}\n${certificate(400)}`),
    });
    expect(put.status).toBe(200);
    expect((await alerts.check(new Date(now + 20 * DAY))).resolved).toEqual([providerId]);
    const after = await ticketsOf();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ state: 'resolved' });
    const notes = await db('ticket_events')
      .where({ ticket_id: ticket!.id, kind: 'recovered' })
      .select('body');
    expect(notes.map((n: { body: string }) => n.body).join('\n')).toContain(
      'The signing certificate of Cert SAML was replaced',
    );
    // Nothing more to say while the new one lasts.
    expect(await alerts.check(new Date(now + 20 * DAY))).toEqual({ opened: [], resolved: [] });
  });

  it('opens one ticket when two hub processes look at the same moment, with the lock or without', async () => {
    const other = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
    try {
      for (const locked of [false, true]) {
        const res = await t.api.request('POST', '/api/v1/identity-providers', {
          kind: 'saml',
          tenantId,
          name: `Twice ${locked ? 'locked' : 'unlocked'}`,
          settings: settingsWith(certificate(10)),
        });
        expect(res.status).toBe(201);
        const id = (res.body.provider as { id: string }).id;
        const at = new Date();
        // The scale-out's two processes: each its own connections, the same hourly look.
        const [a, b] = await Promise.all([
          alertsOn(db, locked).check(at),
          alertsOn(other, locked).check(at),
        ]);
        expect([...a.opened, ...b.opened].filter((p) => p === id)).toEqual([id]);
        expect(
          await db('tickets')
            .where({ fingerprint: `sso-certificate:${id}` })
            .select('id'),
        ).toHaveLength(1);
      }
    } finally {
      await other.destroy();
    }
  });
});
