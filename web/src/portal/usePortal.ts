import { useMemo } from 'react';
import { useApi } from '../api/ApiContext';
import { portalApi, type PortalApi } from '../api/portalApi';

/** The portal's calls for the signed-in session, stable across renders. */
export function usePortalApi(): PortalApi {
  const client = useApi();
  return useMemo(() => portalApi(client), [client]);
}

/**
 * The portal's pages read again on the live events of its own stream (their tickets, their
 * branches' checks; GET /api/v1/portal/events/stream); while it is down, this often.
 */
export const PORTAL_REFRESH_MS = 10_000;

/** What changes a branch's health in words. */
export const HEALTH_EVENTS = [
  'check.stateChanged',
  'agent.statusChanged',
  'ticket.changed',
] as const;

/** "Checked 2 min ago" moves with new rounds, which no event announces: read that often. */
export const HEALTH_POLL_MS = 60_000;
