import type { ApiClient } from '../api/client';
import type { Agent, Branch, Check, Ticket } from '../api/types';
import { pollingSource, type Source } from './source';

/** Everything the map and the branch page colour by, fetched together as one picture. */
export interface FleetSnapshot {
  branches: Branch[];
  agents: Agent[];
  checks: Check[];
  /** Active tickets (every state but resolved and closed). */
  tickets: Ticket[];
}

/** Until the hub pushes live events, the map asks again this often. */
export const FLEET_REFRESH_MS = 5000;

export function fleetSource(api: ApiClient, intervalMs = FLEET_REFRESH_MS): Source<FleetSnapshot> {
  return pollingSource(async () => {
    const [branches, agents, checks, tickets] = await Promise.all([
      api.branches(),
      api.agents(),
      api.checks(),
      api.tickets('active'),
    ]);
    return { branches, agents, checks, tickets };
  }, intervalMs);
}
