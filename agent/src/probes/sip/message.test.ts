import { describe, expect, it } from 'vitest';
import { classifyResponse } from './classify.js';
import { contacts, parseResponse, splitValues, topBranch } from './message.js';
import { sipOptions } from './options.js';
import { grantedExpiry } from './register.js';
import { parseSipTarget } from './target.js';
import { drainFrames } from './transport.js';

const OK = [
  'SIP/2.0 200 OK',
  'v: SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKabc;rport=5070',
  'm: <sip:alice@10.0.0.5:5070>;expires=120, "Desk, 2" <sip:alice@10.0.0.9>;expires=30',
  'Contact: <sip:alice@10.0.0.7;transport=tcp>',
  'Expires: 3600',
  'Server: PBX',
  '  one',
  'l: 0',
].join('\r\n');

describe('SIP messages', () => {
  it('parses compact, folded and repeated headers (RFC 3261 §7.3)', () => {
    const response = parseResponse(OK)!;
    expect([response.code, response.phrase]).toEqual([200, 'OK']);
    expect(topBranch(response)).toBe('z9hG4bKabc');
    expect(response.headers.get('server')).toEqual(['PBX one']);
    expect(contacts(response)).toEqual([
      { uri: 'sip:alice@10.0.0.5:5070', expires: 120 },
      { uri: 'sip:alice@10.0.0.9', expires: 30 },
      { uri: 'sip:alice@10.0.0.7;transport=tcp', expires: null },
    ]);
    expect(parseResponse('OPTIONS sip:x SIP/2.0')).toBeNull();
  });

  it('takes the granted expiry from our own Contact, else the Expires header (§10.2.4)', () => {
    const response = parseResponse(OK)!;
    expect(grantedExpiry(response, 'sip:alice@10.0.0.9')).toBe(30);
    expect(grantedExpiry(response, 'sip:alice@10.0.0.1')).toBe(3600);
  });

  it('splits values at commas outside quotes and angle brackets', () => {
    expect(splitValues('a="x,y", b=<sip:u@h;p=1,2>, c')).toEqual([
      'a="x,y"',
      'b=<sip:u@h;p=1,2>',
      'c',
    ]);
  });

  it('frames a TCP stream by Content-Length, across chunks, skipping CRLF keep-alives', () => {
    const seen: string[] = [];
    const one = 'SIP/2.0 200 OK\r\nContent-Length: 4\r\n\r\nbody';
    let rest = drainFrames(Buffer.from(`\r\n\r\n${one}${one.slice(0, 10)}`), (m) => seen.push(m));
    expect(seen).toEqual([one]);
    rest = drainFrames(Buffer.concat([rest, Buffer.from(one.slice(10))]), (m) => seen.push(m));
    expect([seen.length, rest.length]).toEqual([2, 0]);
  });
});

describe('failure classes', () => {
  const ctx = { credentialsSent: false, maintenanceOn503: false, okCodes: [] };
  it('follows RFC 3261 §21 classes and the check options', () => {
    expect(classifyResponse(200, 'OK', ctx)).toEqual({ status: 'ok', failure: null });
    expect(classifyResponse(404, 'Not Found', { ...ctx, okCodes: [404] }).status).toBe('ok');
    expect(classifyResponse(401, 'Unauthorized', ctx).failure).toBe('client_error');
    const creds = { ...ctx, credentialsSent: true };
    expect(classifyResponse(403, 'Forbidden', creds).failure).toBe('auth_failed');
    expect(classifyResponse(407, 'Proxy Auth', creds).failure).toBe('auth_failed');
    expect(classifyResponse(503, 'Busy', ctx).failure).toBe('server_error');
    expect(classifyResponse(503, 'Busy', { ...ctx, maintenanceOn503: true })).toEqual({
      status: 'failed',
      failure: 'maintenance',
      reason: '503 Busy (maintenance)',
    });
    expect(classifyResponse(500, 'Oops', { ...ctx, maintenanceOn503: true }).failure).toBe(
      'server_error',
    );
    expect(classifyResponse(603, 'Decline', ctx).failure).toBe('global_error');
    expect(classifyResponse(302, 'Moved', ctx).reason).toBe('302 Moved (redirect not followed)');
  });
});

describe('sip targets', () => {
  it('takes host, host:port, [v6]:port and a sip: prefix; 5060 by default (§19.1.2)', () => {
    expect(parseSipTarget('pbx.branch.example')).toEqual({
      host: 'pbx.branch.example',
      port: 5060,
    });
    expect(parseSipTarget('sip:10.0.0.1:5080')).toEqual({ host: '10.0.0.1', port: 5080 });
    expect(parseSipTarget('[::1]:5062')).toEqual({ host: '::1', port: 5062 });
    expect(parseSipTarget('[pbx]')).toBe('"pbx" is not an IPv6 address');
    expect(parseSipTarget('10.0.0.1:70000')).toBe('port 70000 is outside 1-65535');
    expect(parseSipTarget('a b')).toBe(
      'expected host or host:port, with IPv6 addresses in brackets ([::1]:5060)',
    );
  });
});

describe('sip options', () => {
  it('refuse a REGISTER without an account, with the exact message', () => {
    const parsed = sipOptions.safeParse({ method: 'REGISTER', username: 'alice' });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['method', 'REGISTER needs username and password'],
    ]);
    expect(sipOptions.safeParse({ transport: 'tls' }).success).toBe(false);
  });
});
