import { useCallback } from 'react';
import { useApi } from '../api/ApiContext';
import type { Agent, Branch, Check, Ticket } from '../api/types';
import { usePolling, type Polled } from '../common/usePolling';

export interface OverviewData {
  branches: Branch[];
  agents: Agent[];
  checks: Check[];
  tickets: Ticket[];
}

// Until the hub pushes live events, the overview asks again this often.
export const OVERVIEW_REFRESH_MS = 5000;

/** Everything the overview page shows, fetched together so one refresh is one picture. */
export function useOverview(): Polled<OverviewData> {
  const api = useApi();
  const load = useCallback(async (): Promise<OverviewData> => {
    const [branches, agents, checks, tickets] = await Promise.all([
      api.branches(),
      api.agents(),
      api.checks(),
      api.tickets('active'),
    ]);
    return { branches, agents, checks, tickets };
  }, [api]);
  return usePolling(load, OVERVIEW_REFRESH_MS);
}
