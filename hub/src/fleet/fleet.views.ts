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

export const checkView = (c: Check) => ({
  id: c.id,
  agentId: c.agentId,
  branchId: c.branchId,
  key: c.key,
  type: c.type,
  target: c.target,
  managed: c.managed,
  intervalSeconds: c.intervalSeconds,
  timeoutSeconds: c.timeoutSeconds,
  options: c.options,
  state: c.state,
  stateSince: c.stateSince,
  lastResult: c.lastResultAt
    ? { at: c.lastResultAt, status: c.lastStatus, reason: c.lastReason, fields: c.lastFields ?? {} }
    : null,
});
