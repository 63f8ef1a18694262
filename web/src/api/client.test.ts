import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from './client';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that answers every call with `reply()` and records what was asked. */
function fakeFetch(reply: () => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return reply();
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('api client', () => {
  it('logs in with a JSON body and the same-origin cookie, returning the user', async () => {
    const user = { id: 'u1', username: 'sara', role: 'admin' };
    const { calls, fetch } = fakeFetch(() => json(200, { user }));
    const api = createApiClient({ fetch });

    await expect(api.login('sara', 's3cret')).resolves.toEqual(user);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/v1/auth/login');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({
      username: 'sara',
      password: 's3cret',
    });
  });

  it('carries the hub’s error code and message', async () => {
    const body = {
      error: { code: 'BW_ERR_BAD_CREDENTIALS', message: 'wrong username or password' },
    };
    const { fetch } = fakeFetch(() => json(401, body));
    const error = await caught(createApiClient({ fetch }).login('sara', 'nope'));
    expect([error.status, error.code, error.message]).toEqual([
      401,
      'BW_ERR_BAD_CREDENTIALS',
      'wrong username or password',
    ]);
  });

  it('reports a lost session on data routes but not on login or me', async () => {
    let lost = 0;
    const body = { error: { code: 'BW_ERR_UNAUTHENTICATED', message: 'sign in first' } };
    const { fetch } = fakeFetch(() => json(401, body));
    const api = createApiClient({ fetch, onUnauthorized: () => (lost += 1) });

    await caught(api.login('a', 'b'));
    await caught(api.me());
    expect(lost).toBe(0);
    await caught(api.checks());
    expect(lost).toBe(1);
  });

  it('unwraps item lists and asks for active tickets by query', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { items: [{ id: 't1' }] }));
    const api = createApiClient({ fetch, baseUrl: 'http://hub.test' });
    await expect(api.tickets('active')).resolves.toEqual([{ id: 't1' }]);
    expect(calls[0]?.url).toBe('http://hub.test/api/v1/tickets?state=active');
  });

  it('escapes a ticket id in the path', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { ticket: {}, events: [] }));
    await createApiClient({ fetch }).ticket('a/b');
    expect(calls[0]?.url).toBe('/api/v1/tickets/a%2Fb');
  });

  it('accepts 204 with no body (logout)', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(createApiClient({ fetch }).logout()).resolves.toBeNull();
  });

  it('gives the provider’s logout address of a session that came through one', async () => {
    const { fetch } = fakeFetch(() => json(200, { logoutUrl: 'https://id.example/logout' }));
    await expect(createApiClient({ fetch }).logout()).resolves.toBe('https://id.example/logout');
  });

  it('describes an error page that is not the hub’s JSON', async () => {
    const { fetch } = fakeFetch(
      () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const error = await caught(createApiClient({ fetch }).branches());
    expect([error.status, error.code, error.message]).toEqual([
      502,
      'BW_ERR_HTTP_502',
      'HTTP 502 Bad Gateway',
    ]);
  });

  it('turns a network failure into status 0', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const error = await caught(createApiClient({ fetch }).agents());
    expect([error.status, error.code, error.message]).toEqual([
      0,
      'BW_ERR_NETWORK',
      'fetch failed',
    ]);
  });

  it('rejects a 200 that is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<!doctype html>', { status: 200 }));
    const error = await caught(createApiClient({ fetch }).checks());
    expect([error.status, error.code]).toEqual([200, 'BW_ERR_BAD_RESPONSE']);
  });
});
