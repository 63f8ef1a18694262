import { useCallback } from 'react';
import { useApi } from '../api/ApiContext';
import type { Agent, Branch, Check, Ticket } from '../api/types';
import type { Polled } from '../common/usePolling';
import { LIVE_EVENT_TYPES, useLive } from '../live/liveSource';

export interface OverviewData {
  branches: Branch[];
  agents: Agent[];
  checks: Check[];
  tickets: Ticket[];
}

// While the live stream is down, the overview asks again this often.
export const OVERVIEW_REFRESH_MS = 5000;

/**
 * Everything the overview page shows, fetched together so one refresh is one picture; the
 * active tickets only for who may read them (`readsTickets`), the hub would refuse them.
 */
export function useOverview(readsTickets: boolean): Polled<OverviewData> {
  const api = useApi();
  const load = useCallback(async (): Promise<OverviewData> => {
    const [branches, agents, checks, tickets] = await Promise.all([
      api.branches(),
      api.agents(),
      api.checks(),
      readsTickets ? api.tickets('active') : [],
    ]);
    return { branches, agents, checks, tickets };
  }, [api, readsTickets]);
  // Last results change without events: refresh them now and then even while live.
  return useLive(load, LIVE_EVENT_TYPES, OVERVIEW_REFRESH_MS, OVERVIEW_REFRESH_MS * 6);
}
