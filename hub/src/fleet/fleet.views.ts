import { DEFAULT_CHECK_DEFAULTS } from '@branchwatch/contract';
import type { Check } from './check.model.js';
import type { AgentRow } from './agent.repository.js';

/** How agents and checks look in API answers. */
export const agentView = (a: AgentRow) => ({
  id: a.id,
  tenant: a.address.tenant,
  branch: a.address.branch,
  branchId: a.branchId,
  slug: a.slug,
  name: a.name,
  online: a.online,
  lastSeenAt: a.lastSeenAt,
  version: a.version,
  username: a.username,
  config: a.config,
  spool: a.spool,
});

/**
 * How a check looks in API answers. With its agent, the answer also says what the agent makes
 * of it: whether it runs it (or has not applied it yet, or refused it, and why) and at which
 * interval, so that a person sees one list of what really runs.
 */
export const checkView = (c: Check, agent?: AgentRow) => ({
  id: c.id,
  agentId: c.agentId,
  branchId: c.branchId,
  key: c.key,
  type: c.type,
  target: c.target,
  managed: c.managed,
  source: c.managed ? ('hub' as const) : ('file' as const),
  replacesFile: c.managed && c.replacesFile,
  role: c.role,
  intervalSeconds: c.intervalSeconds,
  timeoutSeconds: c.timeoutSeconds,
  options: c.options,
  ...runState(c, agent),
  state: c.state,
  stateSince: c.stateSince,
  staleSince: c.staleSince,
  lastResult: c.lastResultAt
    ? { at: c.lastResultAt, status: c.lastStatus, reason: c.lastReason, fields: c.lastFields ?? {} }
    : null,
});

/** What the agent makes of a check, from its last status (see checkView). */
function runState(c: Check, agent: AgentRow | undefined) {
  const config = agent?.config;
  const listed = config?.checks?.find((x) => x.id === c.key);
  const refusal = c.managed ? (config?.refused.find((x) => x.id === c.key)?.message ?? null) : null;
  const applied = config ? (config.appliedRevision ?? -1) >= config.revision : true;
  const agentRuns: 'running' | 'pending' | 'refused' | 'unknown' =
    c.managed && !applied
      ? 'pending'
      : refusal
        ? 'refused'
        : listed
          ? 'running'
          : config?.checks && c.managed
            ? 'pending'
            : 'unknown';
  return {
    agentRuns,
    refusal,
    /** What the agent runs it at: its own setting, or the agent's default. */
    effectiveIntervalSeconds:
      listed?.intervalSeconds ??
      c.reportedIntervalSeconds ??
      c.intervalSeconds ??
      config?.defaults?.intervalSeconds ??
      DEFAULT_CHECK_DEFAULTS.intervalSeconds,
  };
}
