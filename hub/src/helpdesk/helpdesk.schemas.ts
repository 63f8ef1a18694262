import { LANGUAGES, ROLES, SLA_CLOCKS, TICKET_PRIORITIES } from '@branchwatch/api';
import { z } from 'zod';
import { ASSIGNMENT_STRATEGIES } from './assignment.js';
import { ESCALATION_ACTIONS } from './sla/sla-mapping.js';
import { timestamp, uuid } from '../http/schemas.js';

/** Answers of the support-group, canned-reply, SLA and availability routes (docs/sla.md). */
export const supportGroup = z.object({
  id: uuid,
  tenantId: uuid.nullable(),
  name: z.string(),
  assignment: z.enum(ASSIGNMENT_STRATEGIES),
  leadId: uuid.nullable(),
  /** Round robin: who got the last ticket. */
  lastAssignedId: uuid.nullable(),
});

export const groupWithMembers = z.object({
  group: supportGroup,
  members: z.array(z.object({ userId: uuid, username: z.string(), away: z.boolean() })),
});

/** Someone a ticket can go to (GET /assignees). */
export const assignee = z.object({
  id: uuid,
  username: z.string(),
  role: z.enum(ROLES),
  /** Null: a global user. */
  tenantId: uuid.nullable(),
});

export const helpdeskSettings = z.object({
  tenantId: uuid,
  /** The language of the ticket text the hub writes for this tenant (alerts, notes). */
  language: z.enum(LANGUAGES),
});

export const cannedReply = z.object({
  id: uuid,
  tenantId: uuid.nullable(),
  name: z.string(),
  body: z.string(),
});

const hours = z.array(z.string()).optional();
const holidayExtras = { name: z.string().optional(), closed: z.array(z.string()).optional() };
export const slaCalendar = z.object({
  id: uuid,
  tenantId: uuid.nullable(),
  name: z.string(),
  spec: z.object({
    zone: z.string(),
    week: z.object({
      mon: hours,
      tue: hours,
      wed: hours,
      thu: hours,
      fri: hours,
      sat: hours,
      sun: hours,
    }),
    holidays: z
      .array(
        z.union([
          z.object({ date: z.string(), ...holidayExtras }),
          z.object({ jalali: z.string(), ...holidayExtras }),
          z.object({ annual: z.string(), ...holidayExtras }),
          z.object({ jalaliAnnual: z.string(), ...holidayExtras }),
        ]),
      )
      .optional(),
  }),
});

export const slaPolicy = z.object({
  id: uuid,
  tenantId: uuid.nullable(),
  name: z.string(),
  position: z.number().int(),
  calendarId: uuid,
  firstResponseMs: z.number().int().nullable(),
  resolutionMs: z.number().int().nullable(),
  warningShare: z.number(),
  escalations: z.array(
    z.object({
      name: z.string(),
      offsetMs: z.number().int(),
      action: z.enum(ESCALATION_ACTIONS),
      clocks: z.array(z.enum(SLA_CLOCKS)).optional(),
    }),
  ),
  conditions: z.object({
    priority: z.array(z.enum(TICKET_PRIORITIES)).optional(),
    category: z.array(z.string()).optional(),
    branch: z.array(uuid).optional(),
    tenant: z.array(uuid).optional(),
  }),
});

const span = z.object({ from: timestamp, to: timestamp });
export const branchAvailability = z.object({
  branchId: uuid,
  month: z.string(),
  period: span,
  targetPercent: z.number(),
  /** One per check of the branch (or the one named by `check`). */
  items: z.array(
    z.object({
      check: z.object({ id: uuid, key: z.string(), type: z.string(), target: z.string() }),
      /** Raw rounds while they are kept, else the per-minute rollups. */
      source: z.enum(['rounds', 'minute_rollups']),
      rounds: z.number().int(),
      failed: z.number().int(),
      periodMs: z.number(),
      outages: z.array(span),
      downtimeMs: z.number(),
      percent: z.number(),
      targetPercent: z.number(),
      met: z.boolean(),
      allowedDowntimeMs: z.number(),
      budgetRemainingMs: z.number(),
    }),
  ),
});
