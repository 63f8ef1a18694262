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
