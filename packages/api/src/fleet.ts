/**
 * How much a branch matters to its tenant: it weighs in the priority of the tickets its alerts
 * open (docs/alerts.md).
 */
export const CRITICALITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];
