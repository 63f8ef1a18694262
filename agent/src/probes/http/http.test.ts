import type { Socket } from 'node:net';
import { probeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../log.js';
import { runCheck } from '../../scheduler/run-check.js';
import type { ProbeOutcome } from '../probe.js';
import { probes } from '../registry.js';
import { httpProbe } from './index.js';
import { httpOptions } from './options.js';
import { closedPort, startPeer, type Peer } from './testdata/peers.js';

const probe = (target: string, options: unknown = {}, signal = new AbortController().signal) =>
  httpProbe.run({ id: 'web', target, options: httpOptions.parse(options) }, signal);

/** The outcome as the runner would send it, checked against the contract. */
function asResult(target: string, outcome: ProbeOutcome<'http'>) {
  const common = { check: 'web', type: 'http', target, at: new Date().toISOString() };
  return probeResult.parse({ ...common, ...outcome });
}

const BIG = 'x'.repeat(200_000) + 'MARKER';

describe('http probe against a loopback server', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer((request, response) => {
      const path = request.url ?? '/';
      if (path === '/ok') return void response.end('hello from the branch, all ok');
      if (path === '/fail') return void response.writeHead(500).end('broken');
      if (path === '/missing') return void response.writeHead(404).end();
      if (path === '/big') return void response.end(BIG);
      if (path === '/moved') return void response.writeHead(302, { location: '/ok' }).end();
      if (path === '/loop') return void response.writeHead(301, { location: '/loop' }).end();
      if (path === '/slow') return; // never answers: the runner's deadline must end the round
      response.writeHead(400).end();
    });
  });
  afterAll(() => peer.close());

  it('times every phase of a 200 to an IP address', async () => {
    const outcome = await probe(`${peer.base}/ok`);
    const { fields } = asResult(`${peer.base}/ok`, outcome);
    expect(outcome.status).toBe('ok');
    expect(fields).toMatchObject({ dns: 0, tls: null, statusCode: 200, certDaysLeft: null });
    expect(fields).toMatchObject({ redirects: 0, bodyBytes: 29 });
    const { connect, firstByte, total } = outcome.fields;
    expect(connect).toBeGreaterThan(0);
    expect(firstByte).toBeGreaterThan(0);
    // The phases follow one another inside the round.
    expect(total).toBeGreaterThanOrEqual(connect! + firstByte!);
    console.log('http 200 phases (ms):', JSON.stringify(outcome.fields));
  });

  it('times the lookup of a host name (localhost, from /etc/hosts)', async () => {
    const target = `http://localhost:${peer.port}/ok`;
    const outcome = await probe(target);
    expect(outcome.status).toBe('ok');
    expect(outcome.fields.dns).toBeGreaterThan(0);
    expect(outcome.fields.connect).toBeGreaterThan(0);
    console.log('http localhost dns (ms):', outcome.fields.dns);
  });

  it('fails a 500 as bad_status, keeping the phases it measured', async () => {
    const outcome = await probe(`${peer.base}/fail`);
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'bad_status: 500 (expected 2xx, 3xx)',
      fields: { statusCode: 500, bodyBytes: 6 },
    });
    expect(outcome.fields.firstByte).toBeGreaterThan(0);
    asResult(`${peer.base}/fail`, outcome);
  });

  it('passes a status the check expects, whatever its class', async () => {
    const outcome = await probe(`${peer.base}/missing`, { expectStatus: [404] });
    expect(outcome).toMatchObject({ status: 'ok', fields: { statusCode: 404 } });
    const ranged = await probe(`${peer.base}/ok`, { expectStatus: ['300-399', 201] });
    expect(ranged.reason).toBe('bad_status: 200 (expected 300-399, 201)');
  });

  it('matches the body by substring and by regular expression', async () => {
    expect(await probe(`${peer.base}/ok`, { bodyMatch: { contains: 'branch' } })).toMatchObject({
      status: 'ok',
    });
    expect(
      await probe(`${peer.base}/ok`, { bodyMatch: { regex: 'all (ok|good)$' } }),
    ).toMatchObject({ status: 'ok' });
    expect(await probe(`${peer.base}/ok`, { bodyMatch: { contains: 'offline' } })).toMatchObject({
      status: 'failed',
      reason: 'body_mismatch: "offline" not in the first 29 bytes',
      fields: { statusCode: 200 },
    });
  });

  it('reads at most maxBodyBytes, so a marker past them is a mismatch', async () => {
    const target = `${peer.base}/big`;
    const cut = await probe(target, { bodyMatch: { contains: 'MARKER' }, maxBodyBytes: 1024 });
    expect(cut).toMatchObject({
      status: 'failed',
      reason: 'body_mismatch: "MARKER" not in the first 1024 bytes',
      fields: { bodyBytes: 1024 },
    });
    const whole = await probe(target, { bodyMatch: { contains: 'MARKER' }, maxBodyBytes: 300_000 });
    expect(whole).toMatchObject({ status: 'ok', fields: { bodyBytes: BIG.length } });
  });

  it('sends HEAD and the configured headers', async () => {
    const before = peer.requests.length;
    const outcome = await probe(`${peer.base}/ok`, {
      method: 'HEAD',
      headers: { 'X-Branch': 'hq', 'User-Agent': 'noc-check' },
    });
    expect(outcome).toMatchObject({ status: 'ok', fields: { statusCode: 200, bodyBytes: 0 } });
    const seen = peer.requests[before]!;
    expect([seen.method, seen.headers['x-branch'], seen.headers['user-agent']]).toEqual([
      'HEAD',
      'hq',
      'noc-check',
    ]);
  });

  it('reports a redirect as such by default, and follows it when asked', async () => {
    const target = `${peer.base}/moved`;
    expect(await probe(target)).toMatchObject({
      status: 'ok',
      fields: { statusCode: 302, redirects: 0 },
    });
    expect(await probe(target, { followRedirects: true })).toMatchObject({
      status: 'ok',
      fields: { statusCode: 200, redirects: 1, bodyBytes: 29 },
    });
  });

  it('stops a redirect loop after maxRedirects', async () => {
    const outcome = await probe(`${peer.base}/loop`, { followRedirects: true, maxRedirects: 3 });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'too_many_redirects: more than 3',
      fields: { statusCode: 301, redirects: 3 },
    });
    expect(peer.requests.filter((r) => r.url === '/loop')).toHaveLength(4);
  });

  it('classifies a closed port as connect_refused', async () => {
    const target = `http://127.0.0.1:${await closedPort()}/`;
    const outcome = await probe(target);
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'connect_refused: connection refused',
      fields: { ...httpProbe.blankFields(httpOptions.parse({})), dns: 0 },
    });
    asResult(target, outcome);
  });

  it('is cut off by the runner at the check timeout, and closes its connection', async () => {
    const log = createLogger({ level: 'error' });
    const closed = new Promise<void>((resolve) => waitForClose('/slow', resolve));
    const started = Date.now();
    const result = await runCheck(
      {
        id: 'slow-web',
        type: 'http',
        target: `${peer.base}/slow`,
        intervalSeconds: 60,
        timeoutSeconds: 0.5,
        options: httpOptions.parse({}),
      },
      { registry: probes, log },
    );
    // The runner does not wait for the probe: well under a second past the deadline.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'timeout after 0.5s',
      fields: httpProbe.blankFields(httpOptions.parse({})),
    });
    await closed;
  });

  /** Resolves when the server's socket of the request to `path` closes. */
  function waitForClose(path: string, resolve: () => void) {
    const timer = setInterval(() => {
      const request = peer.requests.find((r) => r.url === path);
      if (!request) return;
      clearInterval(timer);
      (request.socket as Socket).once('close', () => resolve());
    }, 10);
    setTimeout(() => clearInterval(timer), 5000);
  }
});

describe('http targets and options', () => {
  it('says what is wrong with a target', () => {
    expect(httpProbe.validateTarget('https://intranet.branch.example/health')).toBeNull();
    expect(httpProbe.validateTarget('ftp://files.example/')).toBe(
      'expected an http:// or https:// URL',
    );
    expect(httpProbe.validateTarget('intranet')).toBe('expected an http:// or https:// URL');
    expect(httpProbe.validateTarget('https://noc:secret@intranet.example/')).toBe(
      'credentials in the URL would be reported; use headers',
    );
  });

  it('fills in defaults and refuses what cannot work', () => {
    expect(httpOptions.parse({})).toEqual({
      method: 'GET',
      headers: {},
      expectStatus: ['2xx', '3xx'],
      maxBodyBytes: 65536,
      followRedirects: false,
      maxRedirects: 5,
      tls: { verify: true },
    });
    const problems = (options: unknown) =>
      httpOptions.safeParse(options).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ method: 'HEAD', bodyMatch: { contains: 'ok' } })).toEqual([
      'bodyMatch: a HEAD response has no body to match',
    ]);
    expect(problems({ bodyMatch: { regex: '(' } })).toEqual([
      'bodyMatch.regex: not a valid regular expression',
    ]);
    expect(problems({ headers: { 'X-Bad': 'a\r\nInjected: 1' } })).toEqual([
      'headers.X-Bad: a header value cannot span lines',
    ]);
    expect(problems({ tls: { caFile: 'ca.pem' } })).toEqual([
      'tls.caFile: must be an absolute path',
    ]);
  });
});
