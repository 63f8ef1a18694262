import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authParams } from './http-auth.js';
import { OnvifSimulator, passwordDigest, tinyJpeg } from './index.js';

/** The simulator's own checks: it must refuse what a real device refuses, or probe tests prove nothing. */

const sim = new OnvifSimulator({ username: 'admin', password: 'secret' });
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  parseTagValue: false,
});

beforeAll(async () => {
  await sim.start();
});
afterAll(async () => {
  await sim.stop();
});

interface Token {
  username?: string;
  password?: string;
  created?: string;
  nonce?: string;
}

function request(action: string, token?: Token): string {
  let header = '';
  if (token) {
    const nonce = token.nonce ?? randomBytes(16).toString('base64');
    const created = token.created ?? new Date().toISOString();
    const digest = passwordDigest(nonce, created, token.password ?? 'secret');
    header =
      '<s:Header><Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
      `<UsernameToken><Username>${token.username ?? 'admin'}</Username>` +
      `<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
      `<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce}</Nonce>` +
      `<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created>` +
      '</UsernameToken></Security></s:Header>';
  }
  return (
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">${header}` +
    `<s:Body><${action} xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`
  );
}

async function soap(action: string, token?: Token) {
  const res = await fetch(sim.deviceServiceUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
    body: request(action, token),
  });
  const doc = parser.parse(await res.text()) as {
    Envelope: { Body: Record<string, Record<string, unknown>> };
  };
  return { status: res.status, body: doc.Envelope.Body };
}

const faultCodes = (body: Record<string, Record<string, unknown>>) => {
  const code = body.Fault!.Code as { Value: string; Subcode?: { Value: string } };
  return [code.Value, code.Subcode?.Value];
};

describe('WS-UsernameToken PasswordDigest', () => {
  it('computes the digest of the ONVIF Application Programmer’s Guide example', () => {
    expect(passwordDigest('LKqI6G/AikKCQrN0zqZFlg==', '2010-09-16T07:50:45Z', 'userpassword')).toBe(
      'tuOSpGlFlIXsozq4HFNeeGeFLEI=',
    );
  });

  it('answers GetSystemDateAndTime without a token (pre-auth), nothing else', async () => {
    expect((await soap('GetSystemDateAndTime')).status).toBe(200);
    const denied = await soap('GetDeviceInformation');
    expect(denied.status).toBe(400);
    expect(faultCodes(denied.body)).toEqual(['env:Sender', 'ter:NotAuthorized']);
  });

  it('accepts a correct token and refuses a wrong password, a stale Created, a replayed nonce', async () => {
    const ok = await soap('GetDeviceInformation', {});
    expect(ok.status).toBe(200);
    expect(ok.body.GetDeviceInformationResponse!.SerialNumber).toBe('SIM-0001');

    const wrong = await soap('GetDeviceInformation', { password: 'guess' });
    expect([wrong.status, ...faultCodes(wrong.body)]).toEqual([
      400,
      'env:Sender',
      'ter:NotAuthorized',
    ]);
    expect((wrong.body.Fault!.Reason as { Text: { '#text': string } }).Text['#text']).toBe(
      'Sender not Authorized: wrong password',
    );

    const stale = await soap('GetDeviceInformation', {
      created: new Date(Date.now() - 6 * 60_000).toISOString(),
    });
    expect(faultCodes(stale.body)).toEqual(['env:Sender', 'ter:NotAuthorized']);

    const nonce = randomBytes(16).toString('base64');
    expect((await soap('GetDeviceInformation', { nonce })).status).toBe(200);
    const replay = await soap('GetDeviceInformation', { nonce });
    expect(replay.status).toBe(400);
  });

  it('answers an unknown action with a Receiver fault, ter:ActionNotSupported', async () => {
    const res = await soap('GetZoomLevelOfTheMoon', {});
    expect([res.status, ...faultCodes(res.body)]).toEqual([
      500,
      'env:Receiver',
      'ter:ActionNotSupported',
    ]);
  });

  it('runs its clock off by the configured offset', async () => {
    sim.faults.clockOffsetSeconds = -3600;
    const res = await soap('GetSystemDateAndTime');
    sim.faults.clockOffsetSeconds = 0;
    type Parts = { Date: Record<string, string>; Time: Record<string, string> };
    const system = res.body.GetSystemDateAndTimeResponse!.SystemDateAndTime as {
      UTCDateTime: Parts;
    };
    const dt = system.UTCDateTime;
    const device = Date.UTC(
      Number(dt.Date.Year),
      Number(dt.Date.Month) - 1,
      Number(dt.Date.Day),
      Number(dt.Time.Hour),
      Number(dt.Time.Minute),
      Number(dt.Time.Second),
    );
    expect((Date.now() - device) / 1000).toBeGreaterThan(3598);
    expect((Date.now() - device) / 1000).toBeLessThan(3602);
  });
});

describe('snapshot and availability', () => {
  it('serves a baseline JPEG: SOI … SOF0 8×8 … EOI', () => {
    const jpeg = tinyJpeg();
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    // SOF0: length, precision, height, width, components.
    expect([...jpeg.subarray(sof + 4, sof + 10)]).toEqual([8, 0, 8, 0, 8, 1]);
  });

  it('puts the snapshot behind HTTP digest (RFC 7616, qop=auth)', async () => {
    const url = `${sim.base}/snapshot/profile_main.jpg`;
    const first = await fetch(url);
    expect(first.status).toBe(401);
    const p = authParams(first.headers.get('www-authenticate')!);
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`admin:${p.realm}:secret`);
    const ha2 = md5('GET:/snapshot/profile_main.jpg');
    const response = md5(`${ha1}:${p.nonce}:00000001:abc:auth:${ha2}`);
    const authorization = `Digest username="admin", realm="${p.realm}", nonce="${p.nonce}", uri="/snapshot/profile_main.jpg", qop=auth, nc=00000001, cnonce="abc", response="${response}"`;
    const second = await fetch(url, { headers: { authorization } });
    expect(second.status).toBe(200);
    expect(Buffer.from(await second.arrayBuffer())).toEqual(tinyJpeg());
  });

  it('stops listening when offline and comes back on the same port', async () => {
    const port = sim.port;
    await sim.goOffline();
    // A fresh TCP connection, not fetch's pool, which would reuse a socket the close reset.
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve('connected'));
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
    });
    expect(refused).toBe('ECONNREFUSED');
    await sim.goOnline();
    expect(sim.port).toBe(port);
    expect((await soap('GetSystemDateAndTime')).status).toBe(200);
  });
});
