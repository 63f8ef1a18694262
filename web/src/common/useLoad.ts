import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { ApiError } from '../api/client';
import { adminApi, type AdminApi } from '../api/adminApi';
import { identityApi } from '../api/identityApi';
import { notifyApi, type NotifyApi } from '../api/notifyApi';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  /** Loads again, after a change the page made. */
  reload: () => void;
}

/** Loads once (admin lists change only when someone edits them) and again on `reload()`. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({
    data: null,
    error: null,
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let stopped = false;
    load().then(
      (data) => !stopped && setState({ data, error: null }),
      (error: unknown) => !stopped && setState((s) => ({ ...s, error })),
    );
    return () => {
      stopped = true;
    };
  }, [load, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/**
 * Several lists at once: `start(api)` starts each (`{ rules: api.alertRules(), ... }`) and the
 * answer has the same names. `start` must be stable: a function at module level.
 */
export function useLoadAll<A, T extends Record<string, Promise<unknown>>>(
  api: A,
  start: (api: A) => T,
): Loaded<{ [K in keyof T]: Awaited<T[K]> }> {
  const load = useCallback(async () => {
    const started = Object.entries(start(api));
    const values = await Promise.all(started.map(([, promise]) => promise));
    return Object.fromEntries(started.map(([name], i) => [name, values[i]])) as {
      [K in keyof T]: Awaited<T[K]>;
    };
  }, [api, start]);
  return useLoad(load);
}

/** The field a hub validation error names (`details.field`), e.g. `options.count`. */
export function errorField(error: unknown): string | null {
  // A refused password names its field as a malformed one does.
  const fieldCodes = ['BW_ERR_VALIDATION', 'BW_ERR_PASSWORD_POLICY'];
  if (!(error instanceof ApiError) || !fieldCodes.includes(error.code)) return null;
  const details = error.details as { field?: unknown } | undefined;
  return typeof details?.field === 'string' && details.field !== '' ? details.field : null;
}

/** A route this hub does not have yet (identity, notification channels). */
export const isMissingRoute = (error: unknown) =>
  error instanceof ApiError && error.status === 404 && error.code !== 'BW_ERR_VALIDATION';

/** The admin calls for the signed-in session, stable across renders. */
export function useAdminApi(): AdminApi {
  const client = useApi();
  return useMemo(() => adminApi(client), [client]);
}

/** The identity calls (assumed routes, identityApi.ts), stable across renders. */
export function useIdentityApi(): ReturnType<typeof identityApi> {
  const client = useApi();
  return useMemo(() => identityApi(client), [client]);
}

/** The notification calls (notifyApi.ts), stable across renders. */
export function useNotifyApi(): NotifyApi {
  const client = useApi();
  return useMemo(() => notifyApi(client), [client]);
}

/** Calls `reload` every `ms` while the page is shown (lists that change by themselves). */
export function useEvery(ms: number, reload: () => void): void {
  useEffect(() => {
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [ms, reload]);
}
