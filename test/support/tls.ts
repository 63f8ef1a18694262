import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { ApiClient } from './http.js';

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The CA certificate, PEM, for clients. */
  ca: string;
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with the openssl
 * CLI in `dir` at test time (nothing secret is committed).
 */
export function makeTestCertificates(dir: string): TestCertificates {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Branchwatch test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=localhost',
  );
  fs.writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  return {
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    ca: fs.readFileSync(file('ca.pem'), 'utf8'),
  };
}

/** One HTTPS request trusting only `ca`; resolves with the status and the body text. */
export function httpsGet(
  url: string,
  ca: string | undefined,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca });
    req.once('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${url} in 15 s`)));
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.end(init.body);
  });
}

/** ApiClient over HTTPS, trusting the test CA. */
export class HttpsApiClient extends ApiClient {
  private bearer: string | undefined;

  constructor(
    baseUrl: string,
    private readonly ca: string,
  ) {
    super(baseUrl);
  }

  override async login(username: string, password: string): Promise<void> {
    const res = await this.request('POST', '/api/v1/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    this.bearer = (res.body as { token: string }).token;
  }

  override async request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) {
    const res = await httpsGet(this.baseUrl + path, this.ca, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let parsed: unknown = res.text;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      // not JSON: keep the text
    }
    const answered = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (typeof value === 'string') answered.set(name, value);
    }
    return { status: res.status, body: parsed as Record<string, unknown>, headers: answered };
  }
}
