import { useEffect, useState } from 'react';
import { ApiError, CLIENT_ERROR_CODES } from '../api/client';

/**
 * Where a page's data comes from, as a stream of snapshots. Today every source polls; when the
 * hub offers live events, a source that loads once and then applies events
 * takes the same shape, and no page changes.
 */
export interface Source<T> {
  /** Starts delivering; the returned function stops. */
  subscribe(observer: SourceObserver<T>): () => void;
}

export interface SourceObserver<T> {
  next(value: T): void;
  error(error: ApiError): void;
}

/**
 * Calls `load` now and again `intervalMs` after each answer (never overlapping requests on a
 * slow hub). `intervalMs` null loads once.
 */
export function pollingSource<T>(load: () => Promise<T>, intervalMs: number | null): Source<T> {
  return {
    subscribe(observer) {
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = async () => {
        try {
          const value = await load();
          if (!stopped) observer.next(value);
        } catch (cause) {
          if (!stopped) observer.error(toApiError(cause));
        }
        if (!stopped && intervalMs !== null) timer = setTimeout(() => void tick(), intervalMs);
      };
      void tick();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
}

export interface SourceState<T> {
  /** The last value; kept while later refreshes fail. */
  data: T | null;
  error: ApiError | null;
  /** When `data` arrived, ms since the epoch. */
  fetchedAt: number | null;
}

interface Held<T> extends SourceState<T> {
  source: Source<T> | null;
}

/** The latest snapshot of `source` (which must be stable: useMemo). Null: nothing to load. */
export function useSource<T>(source: Source<T> | null): SourceState<T> {
  const [held, setHeld] = useState<Held<T>>({
    source: null,
    data: null,
    error: null,
    fetchedAt: null,
  });
  useEffect(() => {
    if (source === null) return undefined;
    return source.subscribe({
      next: (data) => setHeld({ source, data, error: null, fetchedAt: Date.now() }),
      error: (error) =>
        setHeld((previous) =>
          previous.source === source
            ? { ...previous, error }
            : { source, data: null, error, fetchedAt: null },
        ),
    });
  }, [source]);
  // A new source never shows the previous one's data (another branch, another range).
  if (held.source !== source) return { data: null, error: null, fetchedAt: null };
  return { data: held.data, error: held.error, fetchedAt: held.fetchedAt };
}

function toApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, CLIENT_ERROR_CODES.badResponse, message);
}
