import { createSocket, type Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { sipResult, type ProbeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from '../../../../test/peers/kamailio.js';
import { startSipp, type Sipp } from '../../../../test/peers/sipp.js';
import { silentLogger } from '../../log.js';
import { runCheck } from '../../scheduler/run-check.js';
import { probes } from '../registry.js';
import { parseChallenge } from './digest.js';
import { contacts } from './message.js';
import { sipProbe } from './index.js';
import { sipOptions } from './options.js';
import { AuthState } from './register.js';
import { SipSession } from './session.js';
import { openFlow, type SipFlow } from './transport.js';

const probe = (target: string, options: Record<string, unknown>, signal?: AbortSignal) =>
  sipProbe.run(
    { id: 'pbx', target, options: sipOptions.parse(options) },
    signal ?? AbortSignal.timeout(10_000),
  );

/** The outcome as a full contract result, so every test also checks the schema. */
function asResult(outcome: Awaited<ReturnType<typeof probe>>) {
  const result = {
    check: 'pbx',
    type: 'sip',
    target: 'x',
    at: new Date().toISOString(),
    ...outcome,
  };
  return sipResult.parse(result);
}

/**
 * Asks the registrar for the bindings of the account (RFC 3261 §10.2.3: a REGISTER without
 * Contact lists them), authenticating as the probe does. What the probe left behind shows here.
 * `extra` headers turn it into another request, e.g. removing every binding (§10.2.2).
 */
async function bindings(
  k: Kamailio,
  extra: string[] = [],
): Promise<{ uri: string; expires: number | null }[]> {
  const signal = AbortSignal.timeout(5000);
  const flow = (await openFlow('udp', k.host, k.port, signal)) as SipFlow;
  try {
    const aor = `sip:${k.user}@${k.host}`;
    const session = new SipSession({ flow, requestUri: `sip:${k.host}`, aor, t1Ms: 500, signal });
    const auth = new AuthState({ username: k.user, password: k.password });
    const first = await session.send('REGISTER', extra);
    if (first.kind !== 'response') throw new Error('no challenge');
    auth.challenged(parseChallenge(first.response.headers.get('www-authenticate')![0]!)!, false);
    const answer = auth.answer('REGISTER', `sip:${k.host}`)!;
    const second = await session.send('REGISTER', [...extra, `Authorization: ${answer.value}`]);
    if (second.kind !== 'response' || second.response.code !== 200) throw new Error('refused');
    return contacts(second.response);
  } finally {
    flow.close();
  }
}

describe('sip probe against Kamailio', () => {
  let k: Kamailio;
  let target: string;
  const account = () => ({ username: k.user, password: k.password });
  beforeAll(async () => {
    k = await startKamailio();
    target = `${k.host}:${k.port}`;
  }, 30_000);
  afterAll(async () => {
    await k?.stop();
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`OPTIONS over ${transport}: 200 from Kamailio, with latency and Server`, async () => {
      const result = asResult(await probe(target, { transport }));
      expect(result.status).toBe('ok');
      expect(result.fields.code).toBe(200);
      expect(result.fields.latency).toBeGreaterThan(0);
      expect(result.fields.latency).toBeLessThan(500);
      expect(result.fields.total).toBe(result.fields.latency);
      expect(result.sip).toMatchObject({ phrase: 'Keepalive', failure: null, transport });
      expect(result.sip?.server).toMatch(/^kamailio/);
    });

    it(`REGISTER over ${transport} with good credentials: 200, granted expiry, removed after`, async () => {
      const result = asResult(await probe(target, { method: 'REGISTER', transport, ...account() }));
      expect(result.status).toBe('ok');
      expect(result.fields).toMatchObject({ code: 200, expires: 60 });
      // The challenge round makes the whole exchange longer than its deciding transaction.
      expect(result.fields.total).toBeGreaterThan(result.fields.latency!);
      expect(result.sip).toMatchObject({ registration: 'registered', unregistered: true });
      expect(await bindings(k)).toEqual([]);
    });
  }

  it('reports the expiry the registrar granted, not the one asked for', async () => {
    const options = { method: 'REGISTER', expires: 3600, unregister: false, ...account() };
    const result = asResult(await probe(target, options));
    expect(result.fields.expires).toBe(k.maxExpires);
    const left = await bindings(k);
    expect(left).toHaveLength(1);
    expect(left[0]!.expires).toBeLessThanOrEqual(k.maxExpires);
    // Clean up the binding this test left on purpose: `Contact: *` removes them all (§10.2.2).
    await bindings(k, ['Contact: *', 'Expires: 0']);
    expect(await bindings(k)).toEqual([]);
  });

  it('retries once with Min-Expires after 423 Interval Too Brief', async () => {
    const result = asResult(await probe(target, { method: 'REGISTER', expires: 2, ...account() }));
    expect(result.status).toBe('ok');
    expect(result.fields.expires).toBe(k.minExpires);
  });

  it('classifies a wrong password as auth_failed', async () => {
    const options = { method: 'REGISTER', username: k.user, password: 'not-the-password' };
    const result = asResult(await probe(target, options));
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'authentication failed: 401 Unauthorized',
      fields: { code: 401, expires: null },
      sip: { failure: 'auth_failed', registration: 'not_registered', unregistered: null },
    });
  });

  it('Kamailio checks nc: the same nonce count twice is refused, so ours really counts up', async () => {
    const signal = AbortSignal.timeout(5000);
    const flow = (await openFlow('udp', k.host, k.port, signal)) as SipFlow;
    try {
      const aor = `sip:${k.user}@${k.host}`;
      const uri = `sip:${k.host}`;
      const session = new SipSession({ flow, requestUri: uri, aor, t1Ms: 500, signal });
      const first = await session.send('REGISTER');
      if (first.kind !== 'response') throw new Error('no challenge');
      const challenge = parseChallenge(first.response.headers.get('www-authenticate')![0]!)!;
      expect(challenge.qop).toContain('auth');
      const auth = new AuthState(account());
      auth.challenged(challenge, false);
      const answer = auth.answer('REGISTER', uri)!.value;
      expect(answer).toMatch(/qop=auth, nc=00000001, cnonce="[0-9a-f]+"/);
      const codes: number[] = [];
      for (const value of [answer, answer, auth.answer('REGISTER', uri)!.value]) {
        const r = await session.send('REGISTER', [`Authorization: ${value}`]);
        codes.push(r.kind === 'response' ? r.response.code : 0);
      }
      expect(codes).toEqual([200, 401, 200]);
    } finally {
      flow.close();
    }
  });
});

describe('sip probe when nobody answers', () => {
  it('a stopped server is unreachable at once over UDP (ICMP) and TCP (refused)', async () => {
    const k = await startKamailio();
    // Gone entirely, children too: /proc/net must not list its port any more.
    const hex = `:${k.port.toString(16).toUpperCase().padStart(4, '0')} `;
    const target = `${k.host}:${k.port}`;
    await k.stop();
    expect((await readFile('/proc/net/udp', 'utf8')).includes(hex)).toBe(false);
    const started = performance.now();
    const udp = asResult(await probe(target, {}));
    const tcp = asResult(await probe(target, { transport: 'tcp' }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(udp).toMatchObject({ status: 'failed', sip: { failure: 'unreachable' } });
    expect(udp.reason).toBe('connection refused (port unreachable)');
    expect(tcp).toMatchObject({
      status: 'failed',
      reason: 'connection refused (port unreachable)',
    });
  });

  describe('a server that swallows packets', () => {
    let hole: Socket;
    let port: number;
    let received = 0;
    beforeAll(async () => {
      hole = createSocket('udp4');
      hole.on('message', () => received++);
      await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
      port = hole.address().port;
    });
    afterAll(() => hole.close());

    it('is a timeout at the check timeout, classified by the runner', async () => {
      const check = {
        id: 'pbx',
        type: 'sip' as const,
        target: `127.0.0.1:${port}`,
        intervalSeconds: 60,
        timeoutSeconds: 1,
        options: sipOptions.parse({}),
      };
      const started = performance.now();
      const result: ProbeResult = await runCheck(check, { registry: probes, log: silentLogger });
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(990);
      expect(took).toBeLessThan(1500);
      expect(result).toMatchObject({ status: 'failed', reason: 'timeout after 1s' });
      expect(result.fields).toEqual({ code: null, latency: null, total: null, expires: null });
    });

    it('retransmits on Timer E and gives up on Timer F = 64·T1 (RFC 3261 §17.1.2.2)', async () => {
      received = 0;
      const result = asResult(await probe(`127.0.0.1:${port}`, { t1Ms: 50 }));
      // Sends at 0, 50, 150, 350, 750, 1550 and 3150 ms; Timer F fires at 3200 ms, so on a
      // loaded machine the last one may lose the race. Without Timer E it would be 1.
      expect(received).toBeGreaterThanOrEqual(6);
      expect(received).toBeLessThanOrEqual(7);
      expect(result).toMatchObject({ status: 'failed', sip: { failure: 'timeout' } });
      // The time it says is the time it waited: Timer F's 3,200 ms (Node's timers may fire a
      // millisecond early by the performance clock: 3,199 was seen), on a loaded machine
      // somewhat more — but well short of the 10 s the check itself would have allowed.
      const waited = /^no response to OPTIONS within (\d+) ms \(timeout\)$/.exec(
        result.reason ?? '',
      );
      expect(waited, result.reason).not.toBeNull();
      expect(Number(waited![1])).toBeGreaterThanOrEqual(3190);
      expect(Number(waited![1])).toBeLessThan(10_000);
    });
  });
});

describe('sip probe against a SIPp UAS answering 503', () => {
  let udp: Sipp;
  let tcp: Sipp;
  beforeAll(async () => {
    udp = await startSipp();
    tcp = await startSipp({ transport: 'tcp' });
  }, 30_000);
  afterAll(async () => {
    await Promise.all([udp?.stop(), tcp?.stop()]);
  });

  it('OPTIONS → 503 is a server_error', async () => {
    const result = asResult(await probe(`${udp.host}:${udp.port}`, {}));
    expect(result).toMatchObject({
      status: 'failed',
      reason: '503 Service Unavailable',
      fields: { code: 503 },
      sip: { failure: 'server_error', phrase: 'Service Unavailable', server: 'sipp-uas' },
    });
  });

  it('OPTIONS → 503 is maintenance when the check says so, over UDP and TCP', async () => {
    for (const [sipp, transport] of [
      [udp, 'udp'],
      [tcp, 'tcp'],
    ] as const) {
      const options = { transport, maintenanceOn503: true };
      const result = asResult(await probe(`${sipp.host}:${sipp.port}`, options));
      expect(result).toMatchObject({
        status: 'failed',
        reason: '503 Service Unavailable (maintenance)',
        sip: { failure: 'maintenance', transport },
      });
    }
  });

  it('REGISTER → 503 is a server_error with no registration', async () => {
    const options = { method: 'REGISTER', username: 'bob', password: 'x' };
    const result = asResult(await probe(`${udp.host}:${udp.port}`, options));
    expect(result).toMatchObject({
      status: 'failed',
      fields: { code: 503, expires: null },
      sip: { failure: 'server_error', registration: 'not_registered', unregistered: null },
    });
  });
});
