import type { CheckType } from './status.js';

/**
 * The measured fields an alert rule's threshold may test, per check type, as the contract
 * names them in a result's `fields` (a hub test keeps them among the contract's). Counts and
 * identities (`sent`, `answers`, `profiles`) are left out: a threshold on them says nothing a
 * person acts on. The unit is the one the contract measures in, shown beside the value.
 */
export const THRESHOLD_FIELDS: Readonly<Record<CheckType, readonly string[]>> = {
  icmp: ['loss', 'median', 'p95', 'max', 'jitter'],
  tcp: ['connect'],
  http: ['total', 'firstByte', 'connect', 'certDaysLeft'],
  dns: ['resolveMs'],
  snmp: ['responseMs'],
  sip: ['latency', 'total'],
  voice: ['loss', 'mos', 'jitter', 'delay', 'rttMean'],
  onvif: ['responseMs', 'driftSeconds'],
};

/** Every field some check type offers: what a rule for any type may test. */
export const ANY_THRESHOLD_FIELDS: readonly string[] = [
  ...new Set(Object.values(THRESHOLD_FIELDS).flat()),
];

/** The fields a rule for `checkType` (`*`: any type) may test. */
export function thresholdFieldsOf(checkType: string): readonly string[] {
  return (THRESHOLD_FIELDS as Record<string, readonly string[]>)[checkType] ?? ANY_THRESHOLD_FIELDS;
}
