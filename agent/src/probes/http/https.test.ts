import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProbe } from './index.js';
import { httpOptions } from './options.js';
import { makeCerts, startPeer, type Peer, type TestCerts } from './testdata/peers.js';

const DAYS = 30;
const DAY_MS = 86_400_000;

const probe = (target: string, options: unknown = {}) =>
  httpProbe.run(
    { id: 'web', target, options: httpOptions.parse(options) },
    new AbortController().signal,
  );

const hello = (_request: unknown, response: { end(text: string): void }) =>
  response.end('hello over TLS');

describe('http probe against loopback TLS servers with certificates made at test time', () => {
  let dir: string;
  let certs: TestCerts;
  let selfSigned: Peer;
  let leaf: Peer;
  let expired: Peer;
  let plain: Peer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bw-http-tls-'));
    certs = await makeCerts(dir, DAYS);
    selfSigned = await startPeer(hello, certs.selfSigned);
    leaf = await startPeer(hello, certs.leaf);
    expired = await startPeer(hello, certs.expired);
    plain = await startPeer(hello);
  });
  afterAll(async () => {
    await Promise.all([selfSigned, leaf, expired, plain].map((peer) => peer?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('with verify off, times the handshake and reports the days the certificate has left', async () => {
    const target = `${selfSigned.base}/`;
    const outcome = await probe(target, { tls: { verify: false } });
    expect(outcome).toMatchObject({ status: 'ok', fields: { dns: 0, statusCode: 200 } });
    const { connect, tls, firstByte, total, certDaysLeft } = outcome.fields;
    expect(connect).toBeGreaterThan(0);
    expect(tls).toBeGreaterThan(0);
    expect(firstByte).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(connect! + tls! + firstByte!);
    // Made moments ago for DAYS days: a few seconds short of it, in hundredths of a day.
    expect(certDaysLeft).toBeGreaterThanOrEqual(DAYS - 0.01);
    expect(certDaysLeft).toBeLessThanOrEqual(DAYS);
    const result = { check: 'web', type: 'http', target, at: new Date().toISOString() };
    expect(probeResult.safeParse({ ...result, ...outcome }).success).toBe(true);
    console.log('https phases (ms):', JSON.stringify(outcome.fields));
  });

  it('with verify on, refuses a self-signed certificate before sending the request', async () => {
    const outcome = await probe(`${selfSigned.base}/`);
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'tls_failed: DEPTH_ZERO_SELF_SIGNED_CERT',
      fields: { statusCode: null, firstByte: null, total: null },
    });
    // The handshake finished, so its time and the certificate's expiry are still known.
    expect(outcome.fields.tls).toBeGreaterThan(0);
    expect(outcome.fields.certDaysLeft).toBeCloseTo(DAYS, 1);
    expect(selfSigned.requests.filter((r) => r.headers['x-secret'])).toEqual([]);
    const again = await probe(`${selfSigned.base}/`, { headers: { 'X-Secret': 'token' } });
    expect(again.reason).toBe('tls_failed: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(selfSigned.requests.filter((r) => r.headers['x-secret'])).toEqual([]);
  });

  it('trusts a certificate that chains to caFile and names the host', async () => {
    const outcome = await probe(`https://localhost:${leaf.port}/`, {
      tls: { caFile: certs.caFile },
    });
    expect(outcome).toMatchObject({ status: 'ok', fields: { statusCode: 200 } });
    expect(outcome.fields.dns).toBeGreaterThan(0);
    expect(outcome.fields.certDaysLeft).toBeCloseTo(DAYS, 1);
  });

  it('checks the name: an IP target needs the servername the certificate carries', async () => {
    const target = `${leaf.base}/`;
    const withoutName = await probe(target, { tls: { caFile: certs.caFile } });
    expect(withoutName).toMatchObject({
      status: 'failed',
      reason: 'tls_failed: ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const named = await probe(target, { tls: { caFile: certs.caFile, servername: 'localhost' } });
    expect(named).toMatchObject({ status: 'ok', fields: { statusCode: 200 } });
  });

  it('reports an expired certificate as CERT_HAS_EXPIRED, with negative days left', async () => {
    const outcome = await probe(`https://localhost:${expired.port}/`, {
      tls: { caFile: certs.caFile },
    });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'tls_failed: CERT_HAS_EXPIRED' });
    const expected = (Date.parse('2020-02-01T00:00:00Z') - Date.now()) / DAY_MS;
    expect(outcome.fields.certDaysLeft).toBeCloseTo(expected, 1);
    // Without verification the same server is reachable, and its expiry still reported.
    const unverified = await probe(`https://localhost:${expired.port}/`, {
      tls: { verify: false },
    });
    expect(unverified).toMatchObject({ status: 'ok', fields: { statusCode: 200 } });
    expect(unverified.fields.certDaysLeft).toBeLessThan(0);
  });

  it('reports a server that does not speak TLS as tls_failed with its OpenSSL code', async () => {
    const outcome = await probe(`https://127.0.0.1:${plain.port}/`);
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe('tls_failed: ERR_SSL_WRONG_VERSION_NUMBER');
    expect(outcome.fields).toMatchObject({ dns: 0, tls: null, certDaysLeft: null });
    expect(outcome.fields.connect).toBeGreaterThan(0);
    console.log('plain HTTP on an https:// target:', outcome.reason);
  });

  it('says when caFile cannot be read', async () => {
    const outcome = await probe(`${leaf.base}/`, { tls: { caFile: join(dir, 'missing.pem') } });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'tls_failed: cannot read tls.caFile (ENOENT)',
    });
  });
});
