import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { expect } from 'vitest';

/** A person at the test's provider: what it says about them. */
export interface TestPerson {
  email: string;
  groups: string[];
  /** RFC 8176 methods the provider says it used (`amr`); none: no claim. */
  amr?: string[];
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export interface TestOidcProvider {
  issuer: string;
  /** Who may sign in, by login name (also their `sub`); change it between logins. */
  people: Map<string, TestPerson>;
  /**
   * How far the provider's clock is from the true time (ms; positive: ahead): the times it
   * writes in its tokens (`iat`, `exp`). The hub in the same process keeps the true time.
   */
  clockOffsetMs: number;
  /** Registers the hub as the client (its redirect URI is known once its provider exists). */
  configure(client: TestClient): void;
  stop(): Promise<void>;
}

/**
 * A real OpenID Provider (`oidc-provider`, a certified implementation) on a loopback port of
 * its own, with a sign-in page of one field: the login name of one of `people`. Consent is
 * given by the provider itself (`loadExistingGrant`), as an organisation's provider does for
 * its own applications. Groups and e-mail are in userinfo, as `oidc-provider` conforms.
 */
export async function startOidcProvider(): Promise<TestOidcProvider> {
  const people = new Map<string, TestPerson>();
  let provider: Provider | undefined;
  const server = http.createServer((req, res) => {
    if (!provider) {
      res.statusCode = 503;
      res.end();
      return;
    }
    const p = provider;
    providerClock.run(state.clockOffsetMs, () => {
      if (req.url?.startsWith('/interaction/')) void interaction(p, people, req, res);
      else void p.callback()(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: TestOidcProvider = {
    issuer,
    people,
    clockOffsetMs: 0,
    configure(client) {
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            redirect_uris: [client.redirectUri],
            post_logout_redirect_uris: [client.postLogoutRedirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        cookies: { keys: ['test-only-cookie-key-0123456789'] },
        claims: {
          // Standalone claims (null): put in the ID token whenever the login has them.
          acr: null,
          amr: null,
          auth_time: null,
          sid: null,
          iss: null,
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name', 'groups'],
        },
        features: {
          devInteractions: { enabled: false },
          claimsParameter: { enabled: true },
          rpInitiatedLogout: { enabled: true },
        },
        pkce: { required: () => true },
        interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
        findAccount: (_ctx, sub) => {
          const person = people.get(sub);
          if (!person) return undefined;
          return {
            accountId: sub,
            claims: () => ({
              sub,
              email: person.email,
              email_verified: true,
              name: sub,
              groups: person.groups,
            }),
          };
        },
        loadExistingGrant: async (ctx) => {
          const oidc = ctx.oidc;
          const grantId =
            oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(oidc.client!.clientId);
          if (grantId) return oidc.provider.Grant.find(grantId);
          const grant = new oidc.provider.Grant({
            clientId: oidc.client!.clientId,
            accountId: oidc.session!.accountId!,
          });
          grant.addOIDCScope('openid email profile');
          await grant.save();
          return grant;
        },
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}

/**
 * The provider's own clock: `Date.now()` moved by the offset of the request being served (the
 * library reads its time from it), and the true time for everything else in the process.
 */
const providerClock = new AsyncLocalStorage<number>();
const trueNow = Date.now.bind(Date);
Date.now = () => trueNow() + (providerClock.getStore() ?? 0);

async function interaction(
  provider: Provider,
  people: Map<string, TestPerson>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><title>Test provider</title><h1>Test provider</h1>` +
          `<form method="post"><label>Login <input name="login" autofocus></label>` +
          `<button type="submit">Continue</button></form>`,
      );
      return;
    }
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const login = new URLSearchParams(body).get('login') ?? '';
    const person = people.get(login);
    if (!person || details.prompt.name !== 'login') {
      res.statusCode = 403;
      res.end('unknown login');
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login, ...(person.amr ? { amr: person.amr } : {}) } },
      { mergeWithLastSubmission: false },
    );
  } catch (err) {
    res.statusCode = 400;
    res.end(String(err));
  }
}

/** A cookie jar for one origin: enough to walk a provider's redirects with fetch. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** GET or POST with the jar's cookies, not following redirects. */
export async function step(
  jar: CookieJar,
  url: string,
  form?: Record<string, string>,
): Promise<{ status: number; location: string | null; res: Response }> {
  const res = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.take(res);
  await res.arrayBuffer();
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location, url).toString() : null, res };
}

/**
 * A browser's way through an OIDC sign-in: the hub, the provider's sign-in page, back to the
 * hub's callback. `location`: where the hub sent the browser at the end.
 */
export async function oidcSignIn(
  hubUrl: string,
  op: TestOidcProvider,
  providerId: string,
  login: string,
) {
  const hub = new CookieJar();
  const atProvider = new CookieJar();
  const start = await step(hub, `${hubUrl}/sso/${providerId}/login`);
  expect(start.location).toMatch(new RegExp(`^${op.issuer}/auth\\?`));
  const authUrl = new URL(start.location!);
  expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authUrl.searchParams.get('state')).toBeTruthy();
  expect(authUrl.searchParams.get('nonce')).toBeTruthy();
  const toForm = await step(atProvider, start.location!);
  const form = await step(atProvider, toForm.location!);
  expect(form.status).toBe(200);
  const finished = await step(atProvider, toForm.location!, { login });
  const resumed = await step(atProvider, finished.location!);
  const callback = resumed.location!;
  expect(callback.startsWith(`${hubUrl}/sso/${providerId}/callback?`)).toBe(true);
  const back = await step(hub, callback);
  return { hub, location: back.location!, callback };
}
