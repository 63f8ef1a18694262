import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';
import { connectDatabase, type Database } from '../../db/database.js';

/** The admin API of identity providers: validation, secrets, domains, audit. */

let t: TestHub;
let db: Database;
let tenantId: string;
let branchId: string;
let admin: ApiClient;
const PASSWORD = 'providers-password-1';

const oidc = (over: Record<string, unknown> = {}) => ({
  kind: 'oidc',
  name: 'Entra ID',
  domains: ['Acme.example'],
  settings: { issuer: 'https://login.acme.example/v2.0', clientId: 'bw-hub' },
  clientSecret: 'very-secret-value',
  rules: [{ claim: 'groups', value: 'noc', role: 'noc_operator', branchIds: [branchId] }],
  ...over,
});

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl);
  const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'acme',
    name: 'Acme',
  });
  tenantId = tenant.id;
  branchId = (
    await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'acme-hq',
      tenant: 'acme',
    })
  ).branch.id;
  await t.api.post('/api/v1/users', {
    username: 'acme-admin',
    password: PASSWORD,
    role: 'tenant_admin',
    tenantId,
  });
  admin = new ApiClient(t.api.baseUrl);
  await admin.login('acme-admin', PASSWORD);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

describe('identity providers', () => {
  it('are kept per tenant with their domains and rules, the secret sealed and never shown', async () => {
    const res = await admin.request('POST', '/api/v1/identity-providers', oidc());
    expect(res.status).toBe(201);
    const provider = res.body.provider as Record<string, unknown>;
    expect(provider).toMatchObject({
      tenantId,
      kind: 'oidc',
      domains: ['acme.example'],
      hasSecret: true,
      mappingMode: 'replace',
      redirectUrl: `${t.api.baseUrl}/sso/${provider.id as string}/callback`,
    });
    expect(JSON.stringify(res.body)).not.toContain('very-secret-value');
    const stored = await db('identity_providers').where({ id: provider.id }).first();
    expect(stored.secret_sealed).toMatch(/^v1:/);
    expect(stored.secret_sealed).not.toContain('very-secret-value');

    // A change without a secret keeps the stored one.
    const changed = await admin.request(
      'PUT',
      `/api/v1/identity-providers/${provider.id as string}`,
      oidc({ clientSecret: undefined, mappingMode: 'add_only' }),
    );
    expect(changed.status).toBe(200);
    expect(changed.body.provider).toMatchObject({ hasSecret: true, mappingMode: 'add_only' });
    const after = await db('identity_providers').where({ id: provider.id }).first();
    expect(after.secret_sealed).toBe(stored.secret_sealed);

    const audit = await db('audit_log')
      .whereIn('action', ['sso.provider_created', 'sso.provider_changed'])
      .orderBy('seq');
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'sso.provider_created',
      'sso.provider_changed',
    ]);
    expect(audit[1].details.before.mappingMode).toBe('replace');
    expect(audit[1].details.after.mappingMode).toBe('add_only');
    expect(JSON.stringify(audit)).not.toContain('very-secret-value');
  });

  it('refuses a domain another provider routes, and bad input, naming the field', async () => {
    const taken = await admin.request(
      'POST',
      '/api/v1/identity-providers',
      oidc({ name: 'Second', domains: ['acme.example'] }),
    );
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: { code: 'BW_ERR_DOMAIN_TAKEN' } });

    const cases: [Record<string, unknown>, number, string][] = [
      [oidc({ name: 'x', domains: ['not a domain'] }), 400, 'domains'],
      [
        oidc({ name: 'x', domains: [], settings: { issuer: 'nope', clientId: 'a' } }),
        400,
        'settings.issuer',
      ],
      [oidc({ name: 'x', domains: [], rules: [{ claim: 'groups', value: 'a' }] }), 400, 'rules.0'],
      [oidc({ name: 'x', domains: [], defaultRole: 'admin' }), 403, ''],
      [
        { kind: 'saml', name: 'x', settings: { idpMetadataXml: '<x/>' } },
        400,
        'settings.idpMetadataXml',
      ],
      [{ kind: 'ldap', name: 'x', settings: {} }, 400, 'settings.url'],
      [{ kind: 'kerberos', name: 'x', settings: {} }, 400, 'kind'],
    ];
    for (const [body, status, field] of cases) {
      const res = await admin.request('POST', '/api/v1/identity-providers', body);
      expect({ body, status: res.status }).toEqual({ body, status });
      if (field) expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});
