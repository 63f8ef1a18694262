import { describe, expect, it } from 'vitest';
import type { Check, CheckResult } from '../api/types';
import { defaultI18n } from '../i18n';
import { interfaceLines, voiceAndCameraLines } from './deviceStatus';
import { aCheck } from '../api/testing';

function check(id: string, type: string, lastResult: CheckResult | null): Check {
  return aCheck({ id, agentId: 'a', branchId: 'b', type, target: '192.0.2.9', lastResult });
}

const ok = (fields: CheckResult['fields']): CheckResult => ({
  at: '2026-11-21T10:00:00Z',
  status: 'ok',
  reason: null,
  fields,
});
const failed = (reason: string, fields: CheckResult['fields'] = {}): CheckResult => ({
  at: '2026-11-21T10:00:00Z',
  status: 'failed',
  reason,
  fields,
});

describe('voice and camera status', () => {
  it('reads a SIP registration from expires, a camera from its last round', () => {
    const lines = voiceAndCameraLines(
      [
        check('pbx', 'sip', ok({ code: 200, latency: 12, total: 20, expires: 3600 })),
        check('pbx2', 'sip', failed('auth_failed: 403 Forbidden', { code: 403, expires: null })),
        check('cam', 'onvif', ok({ responseMs: 40, driftSeconds: -3 })),
        check('cam2', 'onvif', failed('camera did not answer')),
        check('cam3', 'onvif', null),
        check('ping', 'icmp', ok({ median: 3 })),
      ],
      defaultI18n,
    );
    expect(lines.map((l) => [l.checkId, l.title, l.text, l.good])).toEqual([
      ['pbx', 'SIP registration', 'registered · expires in 3,600 s', true],
      ['pbx2', 'SIP registration', 'not registered · auth_failed: 403 Forbidden', false],
      ['cam', 'Camera', 'answering · clock drift -3 s', true],
      ['cam2', 'Camera', 'not answering · camera did not answer', false],
      ['cam3', 'Camera', 'no result yet', null],
    ]);
  });
});

describe('interface status', () => {
  it('counts interfaces up', () => {
    const lines = interfaceLines(
      [
        check('sw', 'snmp', ok({ interfaces: 24, interfacesUp: 22 })),
        check('rt', 'snmp', failed('timeout')),
      ],
      defaultI18n,
    );
    expect(lines.map((l) => [l.checkId, l.text, l.good])).toEqual([
      ['sw', '22 of 24 interfaces up', false],
      ['rt', 'timeout', false],
    ]);
  });
});
