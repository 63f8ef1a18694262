import { z } from 'zod';
import { agentConfig, agentEvent } from '@branchwatch/contract';
import { CRITICALITIES } from '@branchwatch/api';
import { timestamp, uuid } from '../http/schemas.js';

/** Answers of the branch, agent, check, topology and agent event routes. */
export const branchAnswer = z.object({
  id: uuid,
  tenant: z.string().describe("The tenant's slug"),
  slug: z.string(),
  name: z.string(),
  address: z.string().nullable().describe('Postal address, for people'),
  latitude: z.number().nullable().describe('WGS 84 degrees; null without coordinates'),
  longitude: z.number().nullable(),
  timeZone: z.string().describe("IANA zone of the branch's clock"),
  criticality: z.enum(CRITICALITIES),
});

/** What PATCH /branches/:id may change (the slug is part of agents' MQTT topics). */
export const branchPatch = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  address: z
    .string()
    .trim()
    .max(500)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v)),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  timeZone: z.string().min(1).max(64).optional().describe('An IANA time zone, e.g. Asia/Tehran'),
});

const configReport = z.object({
  /** The revision the hub last pushed. */
  revision: z.number().int(),
  /** The revision the agent says it runs; null before its first report. */
  appliedRevision: z.number().int().nullable(),
  /** Why the agent could not read the last config at all, if it could not. */
  error: z.string().nullable(),
  /** Every check the agent says it runs, by source; null before it says. */
  checks: z
    .array(
      z.object({
        id: z.string(),
        source: z.enum(['file', 'hub']),
        intervalSeconds: z.number(),
        replacesFile: z.boolean().optional(),
      }),
    )
    .nullable(),
  /** Hub checks the agent refused, each with the reason; the others run. */
  refused: z.array(z.object({ id: z.string(), message: z.string() })),
  /** The agent's schedule for checks that set none; null before it says. */
  defaults: z.object({ intervalSeconds: z.number(), timeoutSeconds: z.number() }).nullable(),
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
  /** Where the check is defined: the hub (managed) or the agent's own file. */
  source: z.enum(['hub', 'file']),
  /** A hub check that replaces the check of the same id in the agent's file. */
  replacesFile: z.boolean(),
  /** `wan`: the branch's WAN check; its failure makes the branch down (docs/status.md). */
  role: z.enum(['wan']).nullable(),
  /** As set on the check; null: the agent's default. */
  intervalSeconds: z.number().nullable(),
  timeoutSeconds: z.number().nullable(),
  options: z.record(z.string(), z.unknown()).nullable(),
  /**
   * What the agent makes of the check: runs it, has not applied it yet, refused it (see
   * `refusal`), or has not said (an agent that does not list its checks).
   */
  agentRuns: z.enum(['running', 'pending', 'refused', 'unknown']),
  refusal: z.string().nullable(),
  /** The interval the agent runs it at, its default included. */
  effectiveIntervalSeconds: z.number(),
  state: z.enum(['unknown', 'ok', 'failing']),
  stateSince: timestamp.nullable(),
  /** Since when the check has missed two rounds in a row (no data); null while it reports. */
  staleSince: timestamp.nullable(),
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
