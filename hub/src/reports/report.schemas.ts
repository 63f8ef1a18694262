import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { REPORT_GROUPINGS } from './report.repository.js';

/** The answer of the ticket report route. */
const reportRow = z.object({
  /** The group's id (null for the total and for tickets without one). */
  key: z.string().nullable(),
  label: z.string().nullable(),
  tickets: z.number().int(),
  acknowledged: z.number().int(),
  mttaMs: z.number().nullable(),
  resolved: z.number().int(),
  mttrMs: z.number().nullable(),
  slaMet: z.number().int(),
  slaBreached: z.number().int(),
  /** Share of met among met and breached, 0–1; null when none was measured. */
  slaCompliance: z.number().nullable(),
});

export const ticketReport = z.object({
  rows: z.array(reportRow),
  total: reportRow,
  from: timestamp,
  to: timestamp,
  groupBy: z.enum(REPORT_GROUPINGS),
});

const countRow = z.object({
  /** The value counted (a state, priority, category, user id, group id); null: none. */
  key: z.string().nullable(),
  /** The user's or group's name for agent and team; null otherwise. */
  label: z.string().nullable(),
  tickets: z.number().int(),
});
const responseTimes = z.object({
  tickets: z.number().int(),
  acknowledged: z.number().int(),
  mttaMs: z.number().nullable(),
  resolved: z.number().int(),
  mttrMs: z.number().nullable(),
});
const clockCompliance = z.object({
  met: z.number().int(),
  breached: z.number().int(),
  compliance: z.number().nullable(),
});

/** The answer of the dashboard route (docs/reports.md). */
export const dashboardSchema = z.object({
  from: timestamp,
  to: timestamp,
  tenantId: z.string().nullable(),
  branchId: z.string().nullable(),
  targetPercent: z.number(),
  counts: z.object({
    status: z.array(countRow),
    priority: z.array(countRow),
    category: z.array(countRow),
    agent: z.array(countRow),
    team: z.array(countRow),
  }),
  /** Business time on each ticket's SLA calendar (wall time where no policy applies). */
  times: z.object({ all: responseTimes, alert: responseTimes, person: responseTimes }),
  sla: z.object({ firstResponse: clockCompliance, resolution: clockCompliance }),
  /** Null while the hub has no requester ratings table. */
  satisfaction: z.object({ ratings: z.number().int(), mean: z.number().nullable() }).nullable(),
  availability: z.array(
    z.object({
      branchId: z.string(),
      branchName: z.string(),
      checkId: z.string().nullable(),
      percent: z.number().nullable(),
      downtimeMs: z.number().nullable(),
      met: z.boolean().nullable(),
    }),
  ),
});
