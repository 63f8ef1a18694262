import { describe, expect, it } from 'vitest';
import {
  MAX_RESULTS_BYTES,
  NUL_REPLACEMENT,
  decodeAgentStatus,
  decodeResultsBatch,
  encodeResultsBatch,
  isInSubtree,
  parseTopic,
  topics,
  type ResultsBatch,
} from './index.js';

const address = { tenant: 'acme', branch: 'tehran-1', agent: 'srv-01' };

const batch: ResultsBatch = {
  v: 1,
  agent: 'srv-01',
  seq: 7,
  sentAt: '2026-11-21T10:00:00.000Z',
  replayed: false,
  results: [
    {
      check: 'wan-gw',
      type: 'icmp',
      target: '127.0.0.1',
      at: '2026-11-21T09:59:58.000Z',
      status: 'ok',
      fields: {
        sent: 5,
        received: 4,
        loss: 20,
        min: 0.1,
        median: 0.2,
        p95: 0.4,
        max: 0.4,
        jitter: 0.1,
      },
      samples: [0.1, 0.2, null, 0.2, 0.4],
    },
    {
      check: 'pbx-sip',
      type: 'tcp',
      target: '127.0.0.1:5060',
      at: '2026-11-21T09:59:58.000Z',
      status: 'failed',
      reason: 'connection refused',
      fields: { connect: null },
    },
  ],
};

describe('topics', () => {
  it('builds every kind under the agent subtree', () => {
    expect(topics.results(address)).toBe('bw/v1/acme/tehran-1/srv-01/results');
    expect(topics.status(address)).toBe('bw/v1/acme/tehran-1/srv-01/status');
    expect(topics.config(address)).toBe('bw/v1/acme/tehran-1/srv-01/config');
    expect(topics.agentSubtree(address)).toBe('bw/v1/acme/tehran-1/srv-01/#');
    expect(topics.everyAgent('results')).toBe('bw/v1/+/+/+/results');
  });

  it('refuses names that could widen a subscription', () => {
    expect(() => topics.results({ ...address, agent: '+' })).toThrow(/agent "\+" cannot be used/);
    expect(() => topics.results({ ...address, branch: 'a/b' })).toThrow(/branch "a\/b"/);
    expect(() => topics.results({ ...address, tenant: '#' })).toThrow(/tenant "#"/);
  });

  it('parses its own topics and nothing else', () => {
    expect(parseTopic('bw/v1/acme/tehran-1/srv-01/results')).toEqual({
      ...address,
      kind: 'results',
    });
    expect(parseTopic('bw/v2/acme/tehran-1/srv-01/results')).toBeNull();
    expect(parseTopic('bw/v1/acme/tehran-1/srv-01/secrets')).toBeNull();
    expect(parseTopic('bw/v1/acme/tehran-1/results')).toBeNull();
    expect(parseTopic('bw/v1/acme/+/srv-01/results')).toBeNull();
  });

  it('tells whether a topic is in an agent subtree', () => {
    expect(isInSubtree('bw/v1/acme/tehran-1/srv-01/results', address)).toBe(true);
    expect(isInSubtree('bw/v1/acme/tehran-1/srv-02/results', address)).toBe(false);
    expect(isInSubtree('bw/v1/other/tehran-1/srv-01/results', address)).toBe(false);
  });
});

describe('results batch codec', () => {
  it('round-trips a valid batch', () => {
    const decoded = decodeResultsBatch(encodeResultsBatch(batch));
    expect(decoded).toEqual({ ok: true, value: batch });
  });

  it('names the bad field', () => {
    const bad = structuredClone(batch) as unknown as { results: { fields: { loss: number } }[] };
    bad.results[0]!.fields.loss = 140;
    const decoded = decodeResultsBatch(JSON.stringify(bad));
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error.code).toBe('invalid');
    expect(decoded.error.field).toBe('results[0].fields.loss');
  });

  it('requires a reason for a failed result', () => {
    const bad = structuredClone(batch) as unknown as { results: { reason?: string }[] };
    delete bad.results[1]!.reason;
    const decoded = decodeResultsBatch(JSON.stringify(bad));
    expect(!decoded.ok && decoded.error.field).toBe('results[1].reason');
  });

  it('refuses unknown fields, other versions, non-JSON and oversized payloads', () => {
    const extra = decodeResultsBatch(JSON.stringify({ ...batch, extra: 1 }));
    expect(!extra.ok && extra.error.code).toBe('invalid');

    const v2 = decodeResultsBatch(JSON.stringify({ ...batch, v: 2 }));
    expect(!v2.ok && [v2.error.code, v2.error.field]).toEqual(['unsupported_version', 'v']);

    const garbage = decodeResultsBatch('{"v":1,');
    expect(!garbage.ok && garbage.error.code).toBe('malformed_json');

    const huge = decodeResultsBatch(Buffer.alloc(MAX_RESULTS_BYTES + 1, 0x20));
    expect(!huge.ok && huge.error.code).toBe('too_large');
  });

  it('refuses an unknown probe type by its discriminator', () => {
    const bad = structuredClone(batch) as unknown as { results: { type: string }[] };
    bad.results[0]!.type = 'carrier-pigeon';
    const decoded = decodeResultsBatch(JSON.stringify(bad));
    expect(!decoded.ok && decoded.error.field).toBe('results[0].type');
  });
});

describe('NUL in text', () => {
  // PostgreSQL stores no NUL in text or jsonb; a payload holding one must still be decoded (and
  // then acknowledged), never refused by the database on every resend.
  it('is replaced in targets, reasons and fields, and the first such field is named', () => {
    const nul = structuredClone(batch);
    nul.results[1]!.reason = 'refused\u0000by peer';
    nul.results[0]!.target = 'gw\u0000';
    const decoded = decodeResultsBatch(JSON.stringify(nul));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.repaired).toBe('results[0].target');
    expect(decoded.value.results[0]!.target).toBe(`gw${NUL_REPLACEMENT}`);
    expect(decoded.value.results[1]!.reason).toBe(`refused${NUL_REPLACEMENT}by peer`);
    expect(JSON.stringify(decoded.value)).not.toContain('\\u0000');
  });

  it('in an id is refused: the id no longer matches its pattern', () => {
    const nul = structuredClone(batch);
    nul.results[0]!.check = 'wan\u0000';
    const decoded = decodeResultsBatch(JSON.stringify(nul));
    expect(!decoded.ok && [decoded.error.code, decoded.error.field]).toEqual([
      'invalid',
      'results[0].check',
    ]);
  });

  it('is replaced in a status version and a config error message', () => {
    const status = {
      v: 1,
      agent: 'srv-01',
      state: 'online',
      at: '2026-11-21T10:00:00Z',
      version: '1.0\u0000',
      config: { revision: 1, error: { revision: 2, message: 'bad\u0000 check' } },
    };
    const decoded = decodeAgentStatus(JSON.stringify(status));
    expect(decoded.ok && [decoded.repaired, decoded.value.config?.error?.message]).toEqual([
      'version',
      `bad${NUL_REPLACEMENT} check`,
    ]);
  });

  it('is replaced by the encoder too, and an escaped backslash is left alone', () => {
    const nul = structuredClone(batch);
    nul.results[1]!.reason = 'a\u0000b \\u0000';
    const text = encodeResultsBatch(nul);
    expect(text).not.toContain('\\u0000b');
    const decoded = decodeResultsBatch(text);
    expect(decoded.ok && decoded.value.results[1]!.reason).toBe(`a${NUL_REPLACEMENT}b \\u0000`);
    expect(decoded.ok && decoded.repaired).toBeUndefined();
  });
});

describe('status codec', () => {
  it('accepts the last will and refuses an unknown state', () => {
    const will = { v: 1, agent: 'srv-01', state: 'offline', at: '2026-11-21T10:00:00Z' };
    expect(decodeAgentStatus(JSON.stringify(will)).ok).toBe(true);
    const bad = decodeAgentStatus(JSON.stringify({ ...will, state: 'sleepy' }));
    expect(!bad.ok && bad.error.field).toBe('state');
  });
});
