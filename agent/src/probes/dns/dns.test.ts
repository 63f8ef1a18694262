import { probeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpAndTcpPort, startDnsmasq, type Dnsmasq } from '../../../../test/peers/dnsmasq.js';
import { createLogger } from '../../log.js';
import { runCheck } from '../../scheduler/run-check.js';
import type { ProbeOutcome } from '../probe.js';
import { probes } from '../registry.js';
import { reportable } from './answers.js';
import { dnsProbe } from './index.js';
import { dnsOptions, parseServer } from './options.js';
import { startScriptedServer, type Script } from './testdata/scripted-server.js';

const RECORDS = [
  '--local=/test/', // answer NXDOMAIN for unknown names under .test instead of REFUSED
  '--address=/example.test/192.0.2.10',
  '--host-record=dual.test,192.0.2.20,2001:db8::20',
  '--txt-record=txt.test,v=spf1 ip4:192.0.2.0/24 -all',
  '--mx-host=mx.test,mail.example.test,10',
  '--cname=alias.test,dual.test',
  '--srv-host=_sip._udp.pbx.test,pbx.example.test,5060,10,60',
];

const probe = (target: string, options: Record<string, unknown>) =>
  dnsProbe.run(
    { id: 'dns', target, options: dnsOptions.parse(options) },
    new AbortController().signal,
  );

function asResult(target: string, outcome: ProbeOutcome<'dns'>) {
  const common = { check: 'dns', type: 'dns', target, at: new Date().toISOString() };
  return probeResult.parse({ ...common, ...outcome });
}

describe('dns probe against dnsmasq on loopback', () => {
  let dnsmasq: Dnsmasq;
  beforeAll(async () => {
    dnsmasq = await startDnsmasq({ records: RECORDS, logQueries: true });
  });
  afterAll(() => dnsmasq?.stop());

  it('resolves an A record and checks the expected answer', async () => {
    const outcome = await probe('www.example.test', {
      server: dnsmasq.server,
      expect: { exact: '192.0.2.10' },
    });
    expect(outcome).toMatchObject({
      status: 'ok',
      fields: { answers: 1 },
      answers: ['192.0.2.10'],
    });
    expect(outcome.fields.resolveMs).toBeGreaterThan(0);
    asResult('www.example.test', outcome);
    // The query reached this dnsmasq, not some other resolver.
    expect(dnsmasq.log()).toContain('query[A] www.example.test from 127.0.0.1');
    console.log('dns A resolveMs:', outcome.fields.resolveMs);
  });

  it('fails an answer other than the expected one, and says what came back', async () => {
    const outcome = await probe('www.example.test', {
      server: dnsmasq.server,
      expect: { exact: '192.0.2.99' },
    });
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'unexpected_answer: no answer equals "192.0.2.99" (got 192.0.2.10)',
      fields: { resolveMs: outcome.fields.resolveMs, answers: 1 },
      answers: ['192.0.2.10'],
    });
    expect(outcome.fields.resolveMs).toBeGreaterThan(0);
    asResult('www.example.test', outcome);
  });

  it('writes each record type as text an expectation can match', async () => {
    const server = dnsmasq.server;
    const cases: [string, string, string[]][] = [
      ['dual.test', 'AAAA', ['2001:db8::20']],
      ['txt.test', 'TXT', ['v=spf1 ip4:192.0.2.0/24 -all']],
      ['mx.test', 'MX', ['10 mail.example.test']],
      ['alias.test', 'CNAME', ['dual.test']],
      ['_sip._udp.pbx.test', 'SRV', ['10 60 5060 pbx.example.test']],
      ['192.0.2.20', 'PTR', ['dual.test']],
    ];
    for (const [name, recordType, answers] of cases) {
      const outcome = await probe(name, { server, recordType });
      expect([name, outcome.status, outcome.answers]).toEqual([name, 'ok', answers]);
    }
    const spf = await probe('txt.test', {
      server,
      recordType: 'TXT',
      expect: { contains: 'V=SPF1' },
    });
    expect(spf.status).toBe('ok');
    const mx = await probe('mx.test', {
      server,
      recordType: 'MX',
      expect: { exact: '10 MAIL.example.test.' },
    });
    expect(mx.status).toBe('ok');
  });

  it('reports NXDOMAIN for a name dnsmasq does not know, with the time of that reply', async () => {
    const outcome = await probe('missing.test', { server: dnsmasq.server });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'nxdomain: missing.test does not exist',
      fields: { answers: 0 },
    });
    expect(outcome.fields.resolveMs).toBeGreaterThan(0);
    asResult('missing.test', outcome);
  });

  it('reports REFUSED for a name outside its zones (it has nowhere to forward)', async () => {
    const outcome = await probe('www.example.org', { server: dnsmasq.server });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'refused: the server refused to resolve www.example.org',
      fields: { answers: 0 },
    });
  });
});

describe('dns probe against servers that misbehave', () => {
  const started: { close(): Promise<void> }[] = [];
  const scripted = async (script: Script) => {
    const server = await startScriptedServer(script);
    started.push(server);
    return server;
  };
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close()));
  });

  it('reports SERVFAIL', async () => {
    const { server } = await scripted('servfail');
    const outcome = await probe('www.example.test', { server });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'servfail: the server failed to resolve www.example.test',
      fields: { answers: 0 },
    });
    expect(outcome.fields.resolveMs).toBeGreaterThan(0);
  });

  it('reports an empty answer as no_answer', async () => {
    const { server } = await scripted('empty');
    const outcome = await probe('www.example.test', { server, recordType: 'MX' });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'no_answer: www.example.test has no MX records',
      fields: { answers: 0 },
    });
  });

  it('reports a server that never replies as a timeout after its attempts', async () => {
    const silent = await scripted('silent');
    const outcome = await probe('www.example.test', {
      server: silent.server,
      attempts: 2,
      attemptTimeoutMs: 100,
    });
    expect(outcome).toEqual({
      status: 'failed',
      reason: `timeout: no reply from ${silent.server} after 2 attempts`,
      fields: { resolveMs: null, answers: null },
    });
    expect(silent.queries).toBe(2);
  });

  it('is cut off by the runner at the check timeout when the attempts would take longer', async () => {
    const silent = await scripted('silent');
    const started = Date.now();
    const result = await runCheck(
      {
        id: 'dns-down',
        type: 'dns',
        target: 'www.example.test',
        intervalSeconds: 60,
        timeoutSeconds: 0.5,
        options: dnsOptions.parse({ server: silent.server }),
      },
      { registry: probes, log: createLogger({ level: 'error' }) },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'timeout after 0.5s',
      fields: { resolveMs: null, answers: null },
    });
  });

  it('reports a port where no server listens (ICMP port unreachable) as unreachable', async () => {
    const server = `127.0.0.1:${await freeUdpAndTcpPort()}`;
    const outcome = await probe('www.example.test', { server });
    expect(outcome).toEqual({
      status: 'failed',
      reason: `unreachable: no DNS server answers at ${server}`,
      fields: { resolveMs: null, answers: null },
    });
  });
});

describe('dns answers in a result', () => {
  it('carries at most 16 answers of at most 255 characters, as the contract demands', () => {
    const many = Array.from({ length: 20 }, (_, i) => `${i} ${'t'.repeat(300)}`);
    const shown = reportable(many);
    expect(shown).toHaveLength(16);
    expect(shown.every((answer) => answer.length === 255 && answer.endsWith('…'))).toBe(true);
    const result = (answers: string[]) => ({
      check: 'txt',
      type: 'dns',
      target: 'txt.test',
      at: new Date().toISOString(),
      status: 'ok',
      fields: { resolveMs: 1, answers: 20 },
      answers,
    });
    expect(probeResult.safeParse(result(shown)).success).toBe(true);
    expect(probeResult.safeParse(result(many.slice(0, 16))).success).toBe(false);
    expect(probeResult.safeParse(result([...shown, 'x'])).success).toBe(false);
  });
});

describe('dns targets and options', () => {
  it('takes domain names, service names and (for PTR) addresses', () => {
    expect(dnsProbe.validateTarget('_sip._udp.branch.example.')).toBeNull();
    expect(dnsProbe.validateTarget('2001:db8::20')).toBeNull();
    expect(dnsProbe.validateTarget('not a name')).toBe(
      'expected a domain name (or, for PTR, an IP address)',
    );
    expect(dnsProbe.validateTarget(`${'a'.repeat(64)}.example`)).toBe(
      'expected a domain name (or, for PTR, an IP address)',
    );
  });

  it('parses server addresses and refuses host names', () => {
    expect(parseServer('127.0.0.1:5353')?.address).toBe('127.0.0.1:5353');
    expect(parseServer('192.0.2.53')?.address).toBe('192.0.2.53:53');
    expect(parseServer('[2001:db8::53]:5353')?.address).toBe('[2001:db8::53]:5353');
    expect(parseServer('2001:db8::53')?.address).toBe('[2001:db8::53]:53');
    expect(parseServer('ns1.example.net')).toBeNull();
    expect(parseServer('127.0.0.1:70000')).toBeNull();
    expect(dnsOptions.parse({})).toEqual({ recordType: 'A', attempts: 2, attemptTimeoutMs: 2000 });
    const issues = dnsOptions.safeParse({ server: 'ns1.example.net', recordType: 'ANY' }).error;
    expect(issues?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'server: expected 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53',
      expect.stringMatching(/^recordType: Invalid option: expected one of "A"\|"AAAA"/),
    ]);
  });
});
