import { describe, expect, it } from 'vitest';
import { fpingArgs, interpretFping, parseFpingOutput } from './fping.js';

// Captured from fping 5.1 (`fping -C N -p P -t T -q TARGET…`, stderr). The ICMP error lines are
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
  // fping -C 2 -q 127.0.0.1 ::1 127.0.0.1 localhost: every name padded to the longest.
  several:
    '127.0.0.1 : 0.034 0.016\n' +
    '::1       : 0.023 -\n' +
    '127.0.0.1 : 0.014 0.005\n' +
    'localhost : 0.011 0.008\n',
  // fping -C 2 -q 127.0.0.1 nonexistent.invalid ::1 (exit 2): no line for the name.
  unresolved: '127.0.0.1 : 0.014 0.017\n::1       : 0.020 0.014\n',
  // A host name is followed by its address in fping's ICMP error lines.
  unreachableNamed:
    'ICMP Host Unreachable from 192.0.2.1 for ICMP Echo sent to gw.example (192.0.2.99)\n' +
    'ICMP Network Unreachable from 192.0.2.1 for ICMP Echo sent to gw.example (192.0.2.99)\n' +
    'gw.example : - -\n' +
    '192.0.2.5  : 1.2 1.3\n',
};

describe('fping arguments', () => {
  it('always passes -t with -p and -i, and ends options before the targets', () => {
    const timing = { count: 5, periodMs: 200, perPingTimeoutMs: 1000 };
    expect(fpingArgs(['::1', '192.0.2.1'], timing, 1)).toEqual([
      '-C',
      '5',
      '-p',
      '200',
      '-t',
      '1000',
      '-i',
      '1',
      '-q',
      '--',
      '::1',
      '192.0.2.1',
    ]);
  });
});

describe('parseFpingOutput', () => {
  it('reads RTTs in send order with - as a lost ping', () => {
    expect(parseFpingOutput(CAPTURED.allReplied, ['127.0.0.1'], 3)).toEqual([
      { ok: true, samples: [0.071, 0.036, 0.036], icmpErrors: [] },
    ]);
    expect(parseFpingOutput(CAPTURED.someLost, ['127.0.0.1'], 4)).toMatchObject([
      { samples: [0.03, 0.05, null, 0.04] },
    ]);
    expect(parseFpingOutput(CAPTURED.ipv6Padded, ['::1'], 2)).toMatchObject([
      { samples: [0.021, 0.037] },
    ]);
    expect(parseFpingOutput(CAPTURED.allLost, ['192.0.2.1'], 3)).toMatchObject([
      { samples: [null, null, null] },
    ]);
  });

  it('gives each target its own line, in the order given, a target given twice included', () => {
    expect(
      parseFpingOutput(CAPTURED.several, ['127.0.0.1', '::1', '127.0.0.1', 'localhost'], 2),
    ).toEqual([
      { ok: true, samples: [0.034, 0.016], icmpErrors: [] },
      { ok: true, samples: [0.023, null], icmpErrors: [] },
      { ok: true, samples: [0.014, 0.005], icmpErrors: [] },
      { ok: true, samples: [0.011, 0.008], icmpErrors: [] },
    ]);
  });

  it('says which target did not resolve, and keeps the others (fping exit 2)', () => {
    const targets = ['127.0.0.1', 'nonexistent.invalid', '::1'];
    expect(parseFpingOutput(CAPTURED.unresolved, targets, 2, true)).toEqual([
      { ok: true, samples: [0.014, 0.017], icmpErrors: [] },
      { ok: false, reason: 'cannot resolve "nonexistent.invalid"' },
      { ok: true, samples: [0.02, 0.014], icmpErrors: [] },
    ]);
  });

  it('keeps distinct ICMP errors, once each, with the target they were for', () => {
    expect(parseFpingOutput(CAPTURED.unreachable, ['192.0.2.99'], 2)).toEqual([
      { ok: true, samples: [null, null], icmpErrors: ['ICMP Host Unreachable from 192.0.2.1'] },
    ]);
    expect(parseFpingOutput(CAPTURED.unreachableNamed, ['gw.example', '192.0.2.5'], 2)).toEqual([
      {
        ok: true,
        samples: [null, null],
        icmpErrors: [
          'ICMP Host Unreachable from 192.0.2.1',
          'ICMP Network Unreachable from 192.0.2.1',
        ],
      },
      { ok: true, samples: [1.2, 1.3], icmpErrors: [] },
    ]);
  });

  it('refuses output it does not understand instead of guessing', () => {
    expect(parseFpingOutput('', ['127.0.0.1'], 3)).toEqual([
      { ok: false, reason: 'unexpected fping output: (nothing)' },
    ]);
    expect(parseFpingOutput('127.0.0.1 : 0.1 0.2\n', ['127.0.0.1'], 3)).toEqual([
      { ok: false, reason: 'unexpected fping output: 2 samples for 3 pings' },
    ]);
    expect(parseFpingOutput('127.0.0.1 : 0.1 abc\n', ['127.0.0.1'], 2)).toMatchObject([
      { ok: false },
    ]);
  });
});

describe('interpretFping', () => {
  it('maps fping exit codes and spawn failures to reasons, for every target', () => {
    const base = { signal: null, stdout: '', stderr: '' };
    const two = ['x', 'y'];
    expect(
      interpretFping({ ...base, code: 1, stderr: CAPTURED.allLost }, ['192.0.2.1'], 3),
    ).toMatchObject([{ ok: true }]);
    expect(interpretFping({ ...base, code: 2 }, ['nonexistent.invalid'], 3)).toEqual([
      { ok: false, reason: 'cannot resolve "nonexistent.invalid"' },
    ]);
    expect(interpretFping({ ...base, code: 3, stderr: 'Usage: fping' }, two, 3)).toEqual([
      { ok: false, reason: 'fping refused its arguments: Usage: fping' },
      { ok: false, reason: 'fping refused its arguments: Usage: fping' },
    ]);
    expect(interpretFping({ ...base, code: null, signal: 'SIGKILL' }, two, 3)).toEqual([
      { ok: false, reason: 'fping was killed by SIGKILL' },
      { ok: false, reason: 'fping was killed by SIGKILL' },
    ]);
    const enoent = Object.assign(new Error('spawn fping ENOENT'), { code: 'ENOENT' });
    expect(interpretFping({ ...base, code: null, spawnError: enoent }, ['x'], 3)).toEqual([
      { ok: false, reason: 'fping is not installed (not found on PATH)' },
    ]);
  });
});
