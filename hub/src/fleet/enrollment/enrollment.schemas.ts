import { z } from 'zod';
import { UPDATE_STATES } from './agent-update.service.js';
import { timestamp, uuid } from '../../http/schemas.js';

/** Answers of enrollment, release and rollout routes (docs/agent-install.md). */
export const enrolled = z.object({
  agent: z.object({ id: uuid, tenant: z.string(), branch: z.string(), slug: z.string() }),
  /** The agent's config file (YAML) with its MQTT credentials. */
  config: z.string(),
});

export const enrollmentToken = z.object({
  /** One-time token; shown this once. */
  token: z.string(),
  expiresAt: timestamp,
  branchId: uuid,
  agentSlug: z.string(),
  /** A shell line for the branch server: fetches install.sh and enrolls. */
  installCommand: z.string(),
  enrollCommand: z.string(),
  /**
   * The Debian architectures (amd64, arm64) the hub has an agent package for: the install
   * command fails on a server of any other, and on every server while this is empty.
   */
  packages: z.array(z.string()),
});

export const release = z.object({
  version: z.string(),
  platform: z.string(),
  sha256: z.string(),
  /** The signature the agent verifies, with its pinned key, before installing. */
  signature: z.string(),
  size: z.number().int(),
});

export const updateTarget = z.object({
  target: release.extend({ download: z.string() }).nullable(),
});

export const rolloutGroup = z.object({
  id: uuid,
  tenantId: uuid,
  name: z.string(),
  targetVersion: z.string().nullable(),
  branchIds: z.array(uuid),
});

export const updateReport = z.object({
  version: z.string(),
  state: z.enum(UPDATE_STATES),
  detail: z.string().nullable(),
  reportedAt: timestamp,
});
