import { describe, expect, it } from 'vitest';
import { fpingArgs, interpretFping, parseFpingOutput } from './fping.js';

// Captured from fping 5.1 (`fping -C N -p P -t T -q TARGET`, stderr). The ICMP error lines are
// in fping's documented format; a loopback-only machine cannot provoke them.
const CAPTURED = {
  allReplied: '127.0.0.1 : 0.071 0.036 0.036\n',
  ipv6Padded: '::1       : 0.021 0.037\n',
  someLost: '127.0.0.1 : 0.03 0.05 - 0.04\n',
  allLost: '192.0.2.1 : - - -\n',
  unreachable:
    'ICMP Host Unreachable from 192.0.2.1 for ICMP Echo sent to 192.0.2.99\n' +
    'ICMP Host Unreachable from 192.0.2.1 for ICMP Echo sent to 192.0.2.99\n' +
    '192.0.2.99 : - -\n',
};

describe('fping arguments', () => {
  it('always passes -t with -p and ends options before the target', () => {
    expect(fpingArgs('::1', { count: 5, periodMs: 200, perPingTimeoutMs: 1000 })).toEqual([
      '-C',
      '5',
      '-p',
      '200',
      '-t',
      '1000',
      '-q',
      '--',
      '::1',
    ]);
  });
});

describe('parseFpingOutput', () => {
  it('reads RTTs in send order with - as a lost ping', () => {
    expect(parseFpingOutput(CAPTURED.allReplied, 3)).toEqual({
      ok: true,
      samples: [0.071, 0.036, 0.036],
      icmpErrors: [],
    });
    expect(parseFpingOutput(CAPTURED.someLost, 4)).toMatchObject({
      samples: [0.03, 0.05, null, 0.04],
    });
    expect(parseFpingOutput(CAPTURED.ipv6Padded, 2)).toMatchObject({ samples: [0.021, 0.037] });
    expect(parseFpingOutput(CAPTURED.allLost, 3)).toMatchObject({ samples: [null, null, null] });
  });

  it('keeps distinct ICMP errors, once each', () => {
    expect(parseFpingOutput(CAPTURED.unreachable, 2)).toEqual({
      ok: true,
      samples: [null, null],
      icmpErrors: ['ICMP Host Unreachable from 192.0.2.1'],
    });
  });

  it('refuses output it does not understand instead of guessing', () => {
    expect(parseFpingOutput('', 3)).toEqual({
      ok: false,
      reason: 'unexpected fping output: (nothing)',
    });
    expect(parseFpingOutput('127.0.0.1 : 0.1 0.2\n', 3)).toEqual({
      ok: false,
      reason: 'unexpected fping output: 2 samples for 3 pings',
    });
    expect(parseFpingOutput('127.0.0.1 : 0.1 abc\n', 2)).toMatchObject({ ok: false });
  });
});

describe('interpretFping', () => {
  it('maps fping exit codes and spawn failures to reasons', () => {
    const base = { signal: null, stdout: '', stderr: '' };
    expect(interpretFping({ ...base, code: 1, stderr: CAPTURED.allLost }, 'x', 3)).toMatchObject({
      ok: true,
    });
    expect(interpretFping({ ...base, code: 2 }, 'nonexistent.invalid', 3)).toEqual({
      ok: false,
      reason: 'cannot resolve "nonexistent.invalid"',
    });
    expect(interpretFping({ ...base, code: 3, stderr: 'Usage: fping' }, 'x', 3)).toEqual({
      ok: false,
      reason: 'fping refused its arguments: Usage: fping',
    });
    expect(interpretFping({ ...base, code: null, signal: 'SIGKILL' }, 'x', 3)).toEqual({
      ok: false,
      reason: 'fping was killed by SIGKILL',
    });
    const enoent = Object.assign(new Error('spawn fping ENOENT'), { code: 'ENOENT' });
    expect(interpretFping({ ...base, code: null, spawnError: enoent }, 'x', 3)).toEqual({
      ok: false,
      reason: 'fping is not installed (not found on PATH)',
    });
  });
});
