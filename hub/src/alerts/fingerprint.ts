import type { AlertCheck } from './incident.repository.js';

/**
 * Incident fingerprints (docs/alerts.md): at most one open ticket per fingerprint, and a repeat
 * inside the reopen window reopens the same ticket.
 */

/** tenant:branch:agent:check — stable for the life of the check (docs/architecture.md "Alerts become tickets"). */
export function fingerprintOf(check: Pick<AlertCheck, 'tenantId' | 'branchId' | 'agentId' | 'id'>) {
  return `${check.tenantId}:${check.branchId}:${check.agentId}:${check.id}`;
}

/** tenant:branch:agent:agent — the "agent offline" incident of one agent. */
export function agentFingerprintOf(
  agent: { tenantId: string; branchId: string } & ({ agentId: string } | { id: string }),
) {
  const id = 'agentId' in agent ? agent.agentId : agent.id;
  return `${agent.tenantId}:${agent.branchId}:${id}:agent`;
}
