import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../../test/support/hub.js';

/**
 * The redirect URL the admin page shows to copy into the provider comes from BW_PUBLIC_URL,
 * never from the request's Host header: a forged Host changes nothing of it.
 */

let t: TestHub;
let token: string;
let providerId: string;
let scimToken: string;

/** A request with the Host header the caller chooses (fetch does not let one set it). */
function get(
  path: string,
  host: string,
  bearer = token,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(t.api.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        headers: { host, authorization: `Bearer ${bearer}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  t = await startTestHub({ BW_PUBLIC_URL: 'https://hub.example.com' });
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  const tenantId = items.find((x) => x.slug === 'default')!.id;
  const { provider } = await t.api.post<{ provider: { id: string; redirectUrl: string } }>(
    '/api/v1/identity-providers',
    {
      tenantId,
      kind: 'oidc',
      name: 'Keycloak',
      domains: [],
      settings: { issuer: 'https://id.example.com/realms/acme', clientId: 'bw-hub' },
      clientSecret: 'client-secret-value',
      rules: [],
    },
  );
  providerId = provider.id;
  expect(provider.redirectUrl).toBe(`https://hub.example.com/sso/${providerId}/callback`);
  token = (t.api as unknown as { token: string }).token;
  scimToken = (
    await t.api.post<{ token: { token: string } }>('/api/v1/scim/tokens', {
      tenantId,
      name: 'Entra ID',
    })
  ).token.token;
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe("the provider's redirect URL", () => {
  it('is the public address, whatever Host the request names', async () => {
    for (const host of ['evil.example', 'hub.example.com:8443', '127.0.0.1']) {
      const one = await get(`/api/v1/identity-providers/${providerId}`, host);
      expect(one.status, host).toBe(200);
      expect((one.body as { provider: { redirectUrl: string } }).provider.redirectUrl, host).toBe(
        `https://hub.example.com/sso/${providerId}/callback`,
      );
      const list = await get('/api/v1/identity-providers', host);
      expect(JSON.stringify(list.body), host).not.toContain('evil.example');
      expect((list.body as { items: { redirectUrl: string }[] }).items[0]!.redirectUrl).toBe(
        `https://hub.example.com/sso/${providerId}/callback`,
      );
    }
  });
});

describe('the SCIM resources’ locations', () => {
  it('name the public address, whatever Host the directory’s request names', async () => {
    for (const host of ['evil.example', '127.0.0.1']) {
      const config = await get('/scim/v2/ServiceProviderConfig', host, scimToken);
      expect(config.status, host).toBe(200);
      expect((config.body as { meta: { location: string } }).meta.location, host).toBe(
        'https://hub.example.com/scim/v2/ServiceProviderConfig',
      );
      const users = await get('/scim/v2/Users', host, scimToken);
      expect(users.status, host).toBe(200);
      expect(JSON.stringify(users.body), host).not.toContain('evil.example');
    }
  });
});
