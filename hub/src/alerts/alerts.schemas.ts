import { z } from 'zod';
import { thresholdSchema } from './thresholds.js';
import { timestamp, uuid } from '../http/schemas.js';

/** Answers of the alert routes (docs/alerts.md). */
const hysteresis = z.object({ failRounds: z.number().int(), recoverRounds: z.number().int() });
const flap = z.object({
  changes: z.number().int(),
  windowSeconds: z.number().int(),
  quietSeconds: z.number().int(),
});

export const alertDefaults = z.object({
  /** Check type → its default thresholds. */
  thresholds: z.record(z.string(), z.array(thresholdSchema)),
  hysteresis,
  flap,
});

export const effectivePolicy = z.object({
  thresholds: z.array(thresholdSchema),
  hysteresis,
  flap,
});

const nullableCount = z.number().int().nullable();
export const alertRule = z.object({
  tenantId: uuid,
  scope: z.enum(['tenant', 'branch', 'check']),
  scopeId: uuid,
  checkType: z.string(),
  thresholds: z.array(thresholdSchema),
  failRounds: nullableCount,
  recoverRounds: nullableCount,
  flapChanges: nullableCount,
  flapWindowSeconds: nullableCount,
  flapQuietSeconds: nullableCount,
});

const hours = z.array(z.string()).optional();
export const maintenanceWindow = z.object({
  id: uuid,
  tenantId: uuid,
  scope: z.enum(['tenant', 'branch', 'agent', 'check']),
  scopeId: uuid,
  reason: z.string(),
  startsAt: timestamp.nullable(),
  endsAt: timestamp.nullable(),
  weekly: z
    .object({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours })
    .nullable(),
  recurrence: z
    .object({
      rule: z.string(),
      from: z.string(),
      until: z.string().nullable(),
      start: z.string(),
      end: z.string(),
    })
    .nullable(),
  zone: z.string().nullable(),
});

export const parentLink = z.object({
  id: uuid,
  tenantId: uuid,
  parentCheckId: uuid,
  childCheckId: uuid,
});

export const outage = z.object({ offlineAt: timestamp, onlineAt: timestamp.nullable() });
