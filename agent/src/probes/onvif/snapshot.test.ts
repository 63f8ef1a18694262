import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifSimulator } from '../../../../test/onvif-simulator/index.js';
import { answerChallenge, fetchSnapshot, isJpeg } from './snapshot.js';

const basicCam = new OnvifSimulator({
  username: 'admin',
  password: 'secret',
  snapshotAuth: 'basic',
});
const digestCam = new OnvifSimulator({ username: 'admin', password: 'secret' });
let html: Server;
let htmlUrl = '';

beforeAll(async () => {
  await basicCam.start();
  await digestCam.start();
  // A web server that answers 200 with a page: what a misconfigured snapshot URL often gives.
  html = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>login</p>'),
  );
  await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
  htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}/snap.jpg`;
});
afterAll(async () => {
  await basicCam.stop();
  await digestCam.stop();
  html.close();
});

const get = (uri: string, password = 'secret', maxBytes = 1 << 20) =>
  fetchSnapshot({
    uri,
    username: 'admin',
    password,
    timeoutMs: 2000,
    maxBytes,
    signal: new AbortController().signal,
  });

describe('snapshot fetch', () => {
  it('answers a Basic challenge', async () => {
    expect(await get(`${basicCam.base}/snapshot/profile_main.jpg`)).toMatchObject({
      ok: true,
      bytes: 159,
    });
  });

  it('answers a digest challenge, and reports refused credentials as an auth failure', async () => {
    const uri = `${digestCam.base}/snapshot/profile_main.jpg`;
    expect(await get(uri)).toMatchObject({ ok: true, bytes: 159 });
    expect(await get(uri, 'wrong')).toMatchObject({
      ok: false,
      authFailed: true,
      reason: 'snapshot HTTP 401 (credentials refused)',
    });
  });

  it('refuses a 200 answer that is not a JPEG, and one larger than the limit', async () => {
    expect(await get(htmlUrl)).toMatchObject({
      ok: false,
      authFailed: false,
      reason: 'snapshot is not a JPEG (12 bytes, text/html)',
    });
    expect(await get(`${digestCam.base}/snapshot/profile_main.jpg`, 'secret', 100)).toMatchObject({
      ok: false,
      reason: 'snapshot larger than 100 bytes',
    });
  });

  it('checks SOI at the start and EOI at the end', () => {
    expect(isJpeg(Uint8Array.from([0xff, 0xd8, 0x00, 0xff, 0xd9]))).toBe(true);
    expect(isJpeg(Uint8Array.from([0xff, 0xd8, 0x00, 0xff, 0xd9, 0x00]))).toBe(false);
    expect(isJpeg(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xd9]))).toBe(false);
  });

  it('computes the RFC 7616 §3.9.1 digest examples (MD5 and SHA-256)', () => {
    const url = new URL('http://www.example.org/dir/index.html');
    const creds = { username: 'Mufasa', password: 'Circle of Life' };
    const challenge = (algorithm: string) =>
      `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
      'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
      'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
    expect(answerChallenge(challenge('MD5'), creds, url, cnonce)).toContain(
      'response="8ca523f5e9506fed4657c9700eebdbec"',
    );
    expect(answerChallenge(challenge('SHA-256'), creds, url, cnonce)).toContain(
      'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"',
    );
  });
});
