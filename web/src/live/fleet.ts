import type { ApiClient } from '../api/client';
import type { Agent, Branch, Check, Ticket } from '../api/types';
import { LIVE_EVENT_TYPES, liveSource } from './liveSource';
import type { Source } from './source';

/** Everything the map and the branch page colour by, fetched together as one picture. */
export interface FleetSnapshot {
  branches: Branch[];
  agents: Agent[];
  checks: Check[];
  /** Active tickets (every state but resolved and closed); none for who may not read them. */
  tickets: Ticket[];
}

/** While the live stream is down, the map asks again this often. */
export const FLEET_REFRESH_MS = 5000;
const FLEET_MIN_GAP_MS = 2000;

/**
 * `tickets`: whether the person may read tickets (`tickets.read`); a role that reads only the
 * inventory still sees the map and the branches, and the hub is not asked what it would refuse.
 */
export function fleetSource(
  api: ApiClient,
  { tickets: readsTickets = true, intervalMs = FLEET_REFRESH_MS } = {},
): Source<FleetSnapshot> {
  return liveSource(
    async () => {
      const [branches, agents, checks, tickets] = await Promise.all([
        api.branches(),
        api.agents(),
        api.checks(),
        readsTickets ? api.tickets('active') : [],
      ]);
      return { branches, agents, checks, tickets };
    },
    // Measurements change without events: refresh them now and then even while live.
    {
      types: LIVE_EVENT_TYPES,
      fallbackMs: intervalMs,
      livePollMs: intervalMs * 6,
      // 8 MB at 5,000 branches (docs/benchmarks.md "Web"): a storm of state changes reloads it
      // every 2 s at most.
      minGapMs: FLEET_MIN_GAP_MS,
    },
  );
}
