import { useMemo } from 'react';
import { useApi } from '../api/ApiContext';
import { portalApi, type PortalApi } from '../api/portalApi';

/** The portal's calls for the signed-in session, stable across renders. */
export function usePortalApi(): PortalApi {
  const client = useApi();
  return useMemo(() => portalApi(client), [client]);
}

/**
 * The portal has no live stream (it needs `tickets.read`, which branch staff do not hold), so
 * its pages read again this often while they are shown.
 */
export const PORTAL_REFRESH_MS = 10_000;
