import { useEffect, useState } from 'react';
import { ApiError, CLIENT_ERROR_CODES } from '../api/client';

export interface Polled<T> {
  /** The last successful answer; kept while later refreshes fail. */
  data: T | null;
  /** Why the last attempt failed, or null once one succeeds. */
  error: ApiError | null;
  /** When `data` arrived (ms since the epoch). */
  fetchedAt: number | null;
}

interface Snapshot<T> extends Polled<T> {
  /** The loader this snapshot came from, so a new loader never shows the old one's data. */
  source: () => Promise<T>;
}

/**
 * Calls `load` now and again `intervalMs` after each answer (so a slow hub never gets
 * overlapping requests). Live events will replace this for the overview; polling stays
 * as the fallback. `load` must be stable (useCallback), a new function starts over.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number): Polled<T> {
  const [snapshot, setSnapshot] = useState<Snapshot<T> | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const tick = async () => {
      try {
        const data = await load();
        if (stopped) return;
        setSnapshot({ source: load, data, error: null, fetchedAt: Date.now() });
      } catch (cause) {
        if (stopped) return;
        const error = toApiError(cause);
        setSnapshot((previous) =>
          previous?.source === load
            ? { ...previous, error }
            : { source: load, data: null, error, fetchedAt: null },
        );
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();

    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load, intervalMs]);

  if (snapshot === null || snapshot.source !== load) {
    return { data: null, error: null, fetchedAt: null };
  }
  return { data: snapshot.data, error: snapshot.error, fetchedAt: snapshot.fetchedAt };
}

function toApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  // Only bugs land here (the client wraps every failure); show them rather than hide them.
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, CLIENT_ERROR_CODES.badResponse, message);
}
