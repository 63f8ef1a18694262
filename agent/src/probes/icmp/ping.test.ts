import { describe, expect, it } from 'vitest';
import { interpretPing, parsePingOutput, pingArgs } from './ping.js';

// Captured from iputils ping 20221126 (`ping -n -c N -i I -W T -- TARGET`, stdout) unless marked.
const CAPTURED = {
  // Through the impairment relay (test/impairment): 5 ms ± 3 ms, 30 % loss; seqs 1 and 7 lost.
  lossy: `PING 10.89.0.2 (10.89.0.2) 56(84) bytes of data.
64 bytes from 10.89.0.2: icmp_seq=2 ttl=64 time=6.03 ms
64 bytes from 10.89.0.2: icmp_seq=3 ttl=64 time=5.19 ms
64 bytes from 10.89.0.2: icmp_seq=4 ttl=64 time=5.11 ms
64 bytes from 10.89.0.2: icmp_seq=5 ttl=64 time=4.26 ms
64 bytes from 10.89.0.2: icmp_seq=6 ttl=64 time=8.08 ms
64 bytes from 10.89.0.2: icmp_seq=8 ttl=64 time=6.55 ms

--- 10.89.0.2 ping statistics ---
8 packets transmitted, 6 received, 25% packet loss, time 144ms
rtt min/avg/max/mdev = 4.258/5.869/8.077/1.224 ms
`,
  ipv6: `PING ::1(::1) 56 data bytes
64 bytes from ::1: icmp_seq=1 ttl=64 time=0.018 ms
64 bytes from ::1: icmp_seq=2 ttl=64 time=0.033 ms

--- ::1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 205ms
rtt min/avg/max/mdev = 0.018/0.025/0.033/0.007 ms
`,
  unreachable: `PING 10.99.99.99 (10.99.99.99) 56(84) bytes of data.
From 21.4.3.121 icmp_seq=1 Destination Net Unreachable
From 21.4.3.121 icmp_seq=2 Destination Net Unreachable

--- 10.99.99.99 ping statistics ---
2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 25ms

`,
  silent: `PING 10.255.255.1 (10.255.255.1) 56(84) bytes of data.

--- 10.255.255.1 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 406ms

`,
  // Written from ping(8)'s documented format: a duplicate reply and a reply slower than -W.
  duplicateAndLate: `PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.
64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.050 ms
64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.090 ms (DUP!)
64 bytes from 10.0.0.1: icmp_seq=2 ttl=64 time=1500 ms

--- 10.0.0.1 ping statistics ---
2 packets transmitted, 2 received, +1 duplicates, 0% packet loss, time 1001ms
`,
};

describe('ping arguments', () => {
  it('passes count, interval and the per-ping timeout in seconds, and ends the options', () => {
    expect(pingArgs('::1', { count: 5, perPingTimeoutMs: 1500 }, 200)).toEqual([
      '-n',
      '-c',
      '5',
      '-i',
      '0.2',
      '-W',
      '1.5',
      '--',
      '::1',
    ]);
  });
});

describe('parsePingOutput', () => {
  it('puts each reply at its icmp_seq and leaves missing seqs null', () => {
    expect(parsePingOutput(CAPTURED.lossy, 8, 1000)).toEqual({
      ok: true,
      samples: [null, 6.03, 5.19, 5.11, 4.26, 8.08, null, 6.55],
      icmpErrors: [],
    });
    expect(parsePingOutput(CAPTURED.ipv6, 2, 1000)).toMatchObject({ samples: [0.018, 0.033] });
    expect(parsePingOutput(CAPTURED.silent, 3, 1000)).toMatchObject({
      samples: [null, null, null],
    });
  });

  it('keeps distinct ICMP errors, once each', () => {
    expect(parsePingOutput(CAPTURED.unreachable, 2, 1000)).toEqual({
      ok: true,
      samples: [null, null],
      icmpErrors: ['Destination Net Unreachable from 21.4.3.121'],
    });
  });

  it('ignores duplicates and counts a reply slower than the per-ping timeout as lost', () => {
    expect(parsePingOutput(CAPTURED.duplicateAndLate, 2, 1000)).toMatchObject({
      samples: [0.05, null],
    });
  });

  it('refuses output it does not understand instead of guessing', () => {
    expect(parsePingOutput('', 3, 1000)).toEqual({
      ok: false,
      reason: 'unexpected ping output: (nothing)',
    });
    expect(parsePingOutput(CAPTURED.ipv6, 3, 1000)).toEqual({
      ok: false,
      reason: 'unexpected ping output: 2 of 3 pings sent',
    });
  });
});

describe('interpretPing', () => {
  const base = { signal: null, stdout: '', stderr: '' };
  const options = { count: 8, perPingTimeoutMs: 1000 };

  it('parses stdout after exit 0 (some replies) and 1 (none)', () => {
    expect(interpretPing({ ...base, code: 0, stdout: CAPTURED.lossy }, 'x', options)).toMatchObject(
      { ok: true },
    );
    expect(
      interpretPing({ ...base, code: 1, stdout: CAPTURED.silent }, 'x', { ...options, count: 3 }),
    ).toMatchObject({ ok: true, samples: [null, null, null] });
  });

  it('says which interval ping allows when it refuses a shorter one', () => {
    // iputils before 2021 allowed 200 ms to users; 20221126 allows 2 ms (captured as nobody).
    for (const [stderr, ms] of [
      ['ping: cannot flood; minimal interval allowed for user is 200ms\n', 200],
      ['ping: cannot flood; minimal interval allowed for user is 2ms\n', 2],
    ] as const) {
      expect(interpretPing({ ...base, code: 2, stderr }, 'x', options)).toEqual({
        ok: false,
        reason: `ping refused its interval: ${stderr.trim()}`,
        minIntervalMs: ms,
      });
    }
  });

  it('maps failures to reasons', () => {
    const stderr = 'ping: nonexistent.invalid: Name or service not known\n';
    expect(interpretPing({ ...base, code: 2, stderr }, 'nonexistent.invalid', options)).toEqual({
      ok: false,
      reason: 'cannot resolve "nonexistent.invalid"',
    });
    expect(interpretPing({ ...base, code: 2, stderr: 'ping: bad' }, 'x', options)).toEqual({
      ok: false,
      reason: 'ping failed (exit 2): ping: bad',
    });
    expect(interpretPing({ ...base, code: null, signal: 'SIGKILL' }, 'x', options)).toEqual({
      ok: false,
      reason: 'ping was killed by SIGKILL',
    });
    const enoent = Object.assign(new Error('spawn ping ENOENT'), { code: 'ENOENT' });
    expect(interpretPing({ ...base, code: null, spawnError: enoent }, 'x', options)).toEqual({
      ok: false,
      reason: 'neither fping nor ping is installed (not found on PATH)',
    });
  });
});
