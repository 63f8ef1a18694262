import { describe, expect, it } from 'vitest';
import type { Check, CheckResult } from '../api/types';
import { defaultI18n } from '../i18n';
import { describeResult } from './describeResult';

function result(partial: Partial<CheckResult>): CheckResult {
  return { at: '2025-03-01T12:00:00Z', status: 'ok', reason: null, fields: {}, ...partial };
}

const describe_ = (type: Check['type'], lastResult: CheckResult | null) =>
  describeResult({ type, lastResult }, defaultI18n);

describe('describeResult', () => {
  it('says when a check has no result yet', () => {
    expect(describe_('icmp', null)).toBe('no result yet');
  });

  describe('icmp', () => {
    it('shows median and loss', () => {
      const fields = { sent: 5, received: 5, loss: 0, min: 11.2, median: 12.4, p95: 14, max: 15 };
      expect(describe_('icmp', result({ fields }))).toBe('median 12 ms · loss 0 %');
    });

    it('keeps a decimal for fast links and partial loss', () => {
      const fields = { loss: 33.3333, median: 1.46 };
      expect(describe_('icmp', result({ fields }))).toBe('median 1.5 ms · loss 33.3 %');
    });

    it('keeps two significant digits below a millisecond', () => {
      const fields = { loss: 0, median: 0.0374 };
      expect(describe_('icmp', result({ fields }))).toBe('median 0.037 ms · loss 0 %');
    });

    it('leads a failed round with its reason and still shows the loss', () => {
      const failed = result({
        status: 'failed',
        reason: 'no reply',
        fields: { sent: 5, received: 0, loss: 100, median: null },
      });
      expect(describe_('icmp', failed)).toBe('no reply · loss 100 %');
    });

    it('says failed when a failed round gives no reason', () => {
      const failed = result({ status: 'failed', fields: { loss: 100, median: null } });
      expect(describe_('icmp', failed)).toBe('failed · loss 100 %');
    });
  });

  describe('tcp', () => {
    it('shows the connect time', () => {
      expect(describe_('tcp', result({ fields: { connect: 3.14 } }))).toBe('connect 3.1 ms');
    });

    it('shows the failure reason instead', () => {
      const failed = result({
        status: 'failed',
        reason: 'ECONNREFUSED',
        fields: { connect: null },
      });
      expect(describe_('tcp', failed)).toBe('ECONNREFUSED');
    });
  });

  describe('types this UI does not know', () => {
    it('lists the measured fields by name', () => {
      const fields = { rtt: 42, code: 200, missing: null };
      expect(describe_('onvif', result({ fields }))).toBe('rtt 42 · code 200');
    });
  });

  describe('http and dns', () => {
    it('says the status code and the time with its unit', () => {
      const fields = { statusCode: 200, total: 41.6, dns: 0.4 };
      expect(describe_('http', result({ fields }))).toBe('HTTP 200 in 42 ms');
      const failed = result({
        status: 'failed',
        reason: 'status_mismatch: 503',
        fields: { statusCode: 503, total: 12 },
      });
      expect(describe_('http', failed)).toBe('status_mismatch: 503 · HTTP 503 in 12 ms');
      expect(describe_('dns', result({ fields: { resolveMs: 3.25, answers: 1 } }))).toBe(
        'resolved in 3.3 ms',
      );
    });

    it('shows the reason of a failure', () => {
      const failed = result({ status: 'failed', reason: 'timeout' });
      expect(describe_('sip', failed)).toBe('timeout');
    });

    it('says ok when an ok round measured nothing', () => {
      expect(describe_('dns', result({}))).toBe('ok');
    });
  });
});
