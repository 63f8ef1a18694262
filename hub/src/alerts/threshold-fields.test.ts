import { describe, expect, it } from 'vitest';
import { THRESHOLD_FIELDS, type CheckType } from '@branchwatch/api';
import {
  dnsResult,
  httpResult,
  icmpResult,
  onvifResult,
  sipResult,
  snmpResult,
  tcpResult,
  voiceResult,
} from '@branchwatch/contract';
import { DEFAULT_THRESHOLDS } from './thresholds.js';

const RESULTS = {
  icmp: icmpResult,
  tcp: tcpResult,
  http: httpResult,
  dns: dnsResult,
  snmp: snmpResult,
  sip: sipResult,
  voice: voiceResult,
  onvif: onvifResult,
};

/** The fields of each type's results, as the contract's schemas name them. */
const contractFields = (type: CheckType) => Object.keys(RESULTS[type].shape.fields.shape);

describe('threshold fields', () => {
  it('are fields the contract measures for that check type', () => {
    for (const [type, fields] of Object.entries(THRESHOLD_FIELDS)) {
      expect(contractFields(type as CheckType)).toEqual(expect.arrayContaining([...fields]));
    }
  });

  it('offer every field a built-in threshold tests', () => {
    for (const [type, thresholds] of Object.entries(DEFAULT_THRESHOLDS)) {
      for (const { field } of thresholds)
        expect(THRESHOLD_FIELDS[type as CheckType]).toContain(field);
    }
  });
});
