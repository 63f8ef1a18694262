import { z } from 'zod';
import { agentConfig, agentEvent } from '@branchwatch/contract';
import { REPORT_GROUPINGS } from '../reports/report.repository.js';
import { timestamp, uuid } from '../http/schemas.js';

/** Answers of the branch, agent, check, series, topology and report routes. */
export const branchAnswer = z.object({
  id: uuid,
  tenant: z.string().describe("The tenant's slug"),
  slug: z.string(),
  name: z.string(),
});

const configReport = z.object({
  /** The revision the hub last pushed. */
  revision: z.number().int(),
  /** The revision the agent says it runs; null before its first report. */
  appliedRevision: z.number().int().nullable(),
  /** Why the agent refused the last config, if it did. */
  error: z.string().nullable(),
});

export const agentAnswer = z.object({
  id: uuid,
  tenant: z.string(),
  branch: z.string(),
  branchId: uuid,
  slug: z.string(),
  name: z.string(),
  online: z.boolean(),
  lastSeenAt: timestamp.nullable(),
  version: z.string().nullable(),
  /** MQTT username. */
  username: z.string(),
  config: configReport,
  /** What the agent last said about its on-disk spool; null before its first report. */
  spool: z
    .object({
      pendingBatches: z.number().int(),
      droppedBatches: z.number().int(),
      droppedResults: z.number().int(),
    })
    .nullable(),
});

export const issuedAgent = z.object({
  agent: agentAnswer,
  /** The MQTT password is shown this once. */
  credentials: z.object({ username: z.string(), password: z.string() }),
  /** A ready agent config file (YAML) with the credentials. */
  config: z.string(),
});

export const checkAnswer = z.object({
  id: uuid,
  agentId: uuid,
  branchId: uuid,
  key: z.string(),
  type: z.string(),
  target: z.string(),
  /** Added through the hub (pushed as the agent's config) rather than the agent's own file. */
  managed: z.boolean(),
  intervalSeconds: z.number().nullable(),
  timeoutSeconds: z.number().nullable(),
  options: z.record(z.string(), z.unknown()).nullable(),
  state: z.enum(['unknown', 'ok', 'failing']),
  stateSince: timestamp.nullable(),
  lastResult: z
    .object({
      at: timestamp,
      status: z.enum(['ok', 'failed']).nullable(),
      reason: z.string().nullable(),
      fields: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
    })
    .nullable(),
});

export const agentConfigAnswer = z.object({
  /** The config the hub pushes on the agent's retained config topic (docs/contract.md). */
  config: agentConfig,
  report: configReport,
});

const fieldStats = z.object({
  n: z.number().int(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  median: z.number(),
});
const checkRef = z.object({ id: uuid, key: z.string(), type: z.string(), target: z.string() });

export const seriesAnswer = z.object({
  check: checkRef,
  from: timestamp,
  to: timestamp,
  resolution: z.enum(['raw', '1m', '1h', '1d']),
  points: z.array(
    z.object({
      t: timestamp,
      rounds: z.number().int(),
      failed: z.number().int(),
      /** Per numeric field, its statistics over the bucket (n = 1 for raw rounds). */
      stats: z.record(z.string(), fieldStats),
      /** Raw rounds only: every RTT of the round. */
      samples: z.array(z.number().nullable()).nullable().optional(),
      reason: z.string().nullable().optional(),
    }),
  ),
  availability: z.object({
    rounds: z.number().int(),
    failed: z.number().int(),
    percent: z.number().nullable(),
  }),
});

export const topologyAnswer = z.object({
  branch: z.object({ id: uuid, slug: z.string(), name: z.string() }),
  agents: z.array(z.object({ id: uuid, slug: z.string(), name: z.string(), online: z.boolean() })),
  devices: z.array(
    z.object({
      agentId: uuid,
      deviceId: z.string(),
      sysName: z.string().nullable(),
      sysDescr: z.string().nullable(),
      address: z.string().nullable(),
      seenAt: timestamp,
    }),
  ),
  /** LLDP neighbours: which port of which device sees which remote port. */
  links: z.array(
    z.object({
      agentId: uuid,
      localDevice: z.string(),
      localPort: z.string(),
      remoteChassisId: z.string(),
      remoteSysName: z.string().nullable(),
      remotePort: z.string(),
      seenAt: timestamp,
    }),
  ),
});

export const agentEventAnswer = z.object({
  id: z.string(),
  agentId: uuid,
  kind: z.string(),
  at: timestamp,
  receivedAt: timestamp,
  /** The event as the agent sent it (docs/contract.md). */
  body: agentEvent,
});

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
