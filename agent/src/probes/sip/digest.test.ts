import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseChallenge } from './digest.js';

const param = (header: string, name: string) =>
  new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1];

describe('digest authentication', () => {
  it('matches the worked example of RFC 2617 §3.5 (MD5, qop=auth)', () => {
    const challenge = parseChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    expect(challenge).toMatchObject({ realm: 'testrealm@host.com', qop: ['auth', 'auth-int'] });
    const header = digestAuthorization({
      challenge,
      credentials: { username: 'Mufasa', password: 'Circle Of Life' },
      method: 'GET',
      uri: '/dir/index.html',
      nonceCount: 1,
      cnonce: '0a4f113b',
    });
    expect(param(header, 'response')).toBe('6629fae49393a05397450978507c4ef1');
    expect(header).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(param(header, 'opaque')).toBe('5ccc069c403ebaf9f0171e9517f40e41');
  });

  it('matches the worked examples of RFC 7616 §3.9.1 (MD5 and SHA-256)', () => {
    const base =
      'realm="http-auth@example.org", qop="auth, auth-int", ' +
      'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
      'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const answer = (algorithm: string) =>
      digestAuthorization({
        challenge: parseChallenge(`Digest ${base}, algorithm=${algorithm}`)!,
        credentials: { username: 'Mufasa', password: 'Circle of Life' },
        method: 'GET',
        uri: '/dir/index.html',
        nonceCount: 1,
        cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      });
    expect(param(answer('MD5'), 'response')).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(param(answer('SHA-256'), 'response')).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('counts nc in hexadecimal and answers RFC 2069 challenges without qop', () => {
    const challenge = parseChallenge('Digest realm="pbx", nonce="abc"')!;
    const input = {
      challenge,
      credentials: { username: 'alice', password: 'x' },
      method: 'REGISTER',
      uri: 'sip:pbx',
      nonceCount: 26,
      cnonce: 'c',
    };
    expect(digestAuthorization(input)).not.toContain('qop=');
    const withQop = { ...input, challenge: { ...challenge, qop: ['auth'] } };
    expect(digestAuthorization(withQop)).toContain('nc=0000001a');
  });

  it('refuses challenges it cannot answer', () => {
    expect(parseChallenge('Basic realm="x"')).toBeNull();
    expect(parseChallenge('Digest realm="x", nonce="n", algorithm=SHA-512-256')).toBeNull();
    expect(parseChallenge('Digest nonce="n"')).toBeNull();
    expect(parseChallenge('Digest realm="a", nonce="n", stale=TRUE')?.stale).toBe(true);
  });
});
