/** A logged-in API client for tests: real HTTP against a running hub. */
export class ApiClient {
  private token: string | undefined;

  constructor(readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<void> {
    const res = await this.request('POST', '/api/v1/auth/login', { username, password });
    if (res.status !== 200)
      throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = (res.body as { token: string }).token;
  }

  async request(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as Record<string, unknown>, headers: res.headers };
  }

  /**
   * A request of the test's own making (a file's bytes as the body, a download read as bytes),
   * sent with this client's session.
   */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(this.baseUrl + path, {
      ...init,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  }

  async get<T>(path: string): Promise<T> {
    const res = await this.request('GET', path);
    if (res.status !== 200)
      throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await this.request('POST', path, body);
    if (res.status >= 300)
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  /** Creates a branch and an agent in it; returns the agent's credentials and config. */
  async createAgent(branchSlug: string, agentSlug: string) {
    const { branch } = await this.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: branchSlug,
    });
    return this.post<{
      agent: { id: string; username: string };
      credentials: { username: string; password: string };
      config: string;
    }>('/api/v1/agents', { branchId: branch.id, slug: agentSlug });
  }
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
}
