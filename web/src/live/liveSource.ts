import { useEffect, useRef, useState } from 'react';
import { ApiError, CLIENT_ERROR_CODES } from '../api/client';
import type { Polled } from '../common/usePolling';
import type { Source, SourceObserver } from './source';

// Live data from the hub's Server-Sent Events (GET /api/v1/events/stream, hub/src/routes/
// live.routes.ts). Events carry ids only, so a source reloads through the API when one of its
// event types arrives; while the stream is down it polls, as every page did before.

export const LIVE_STREAM_PATH = '/api/v1/events/stream';
/** The requester portal's stream: their own and followed tickets, their notifications. */
export const PORTAL_STREAM_PATH = '/api/v1/portal/events/stream';
export const LIVE_EVENT_TYPES = [
  'check.stateChanged',
  'ticket.changed',
  'agent.statusChanged',
  'inbox.added',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/**
 * An event's `data` (hub/src/live/live-events.ts `LiveEvent`): ids only. Optional fields, since
 * each type carries some of them.
 */
export interface LiveEventData {
  type: LiveEventType;
  tenantId?: string;
  ticketId?: string;
  checkId?: string;
  branchId?: string;
  agentId?: string;
}

/** The data of a MessageEvent from the stream; just the type when it is not a JSON object. */
export function parseLiveEvent(type: LiveEventType, data: unknown): LiveEventData {
  if (typeof data !== 'string') return { type };
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed === null || typeof parsed !== 'object') return { type };
    const ids: LiveEventData = { type };
    for (const key of ['tenantId', 'ticketId', 'checkId', 'branchId', 'agentId'] as const) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value === 'string') ids[key] = value;
    }
    return ids;
  } catch {
    return { type };
  }
}

/** After the hub refuses the stream outright (EventSource gives up), try again this late. */
const REOPEN_MS = 15_000;

interface StreamListener {
  event(event: LiveEventData): void;
  /** True while the stream is open; false while the page must poll. */
  state(open: boolean): void;
}

// One EventSource per page, shared by every live source (browsers cap connections per host).
const listeners = new Set<StreamListener>();
let stream: EventSource | null = null;
let open = false;
let reopen: ReturnType<typeof setTimeout> | undefined;

function setOpen(value: boolean) {
  open = value;
  // A hook for tests and for people: is this page live or polling?
  if (typeof document !== 'undefined')
    document.documentElement.dataset.bwLive = value ? 'live' : 'polling';
  listeners.forEach((l) => l.state(value));
}

/**
 * The desk's stream, the portal's for branch staff, or none for a person who may read neither
 * (the pages poll then): `setLiveStreamPath`.
 */
let streamPath: string | null = LIVE_STREAM_PATH;
/** The hub refused this stream (401/403): it is not asked again until the path changes. */
let refused = false;

/** Chooses the stream this page reads; an open one of the other kind is closed and reopened. */
export function setLiveStreamPath(path: string | null): void {
  if (path === streamPath) return;
  streamPath = path;
  refused = false;
  clearTimeout(reopen);
  reopen = undefined;
  if (stream === null) {
    if (listeners.size > 0) connect();
    return;
  }
  stream.close();
  stream = null;
  setOpen(false);
  if (listeners.size > 0) connect();
}

/**
 * Why the browser gave up on the stream: EventSource tells no status (WHATWG HTML §9.2.3 fails
 * the connection on any answer but a 200 event stream), so one plain request asks. A refusal
 * (401, 403) stays a refusal: retrying it every few seconds would only fill the hub's log.
 */
async function refusedNow(path: string): Promise<boolean> {
  const ask = new AbortController();
  try {
    const answer = await fetch(path, {
      headers: { accept: 'text/event-stream' },
      signal: ask.signal,
    });
    return answer.status === 401 || answer.status === 403;
  } catch {
    return false;
  } finally {
    ask.abort();
  }
}

function connect() {
  if (typeof EventSource === 'undefined' || streamPath === null || refused) return;
  const path = streamPath;
  const source = new EventSource(path);
  stream = source;
  source.onopen = () => setOpen(true);
  source.onerror = () => {
    setOpen(false);
    // CONNECTING: the browser retries by itself (`retry:` from the hub). CLOSED: it gave up
    // (any answer but the stream); a refusal is final, anything else (a 5xx, a proxy) is asked
    // again later. Polling covers the gap either way.
    if (source.readyState === EventSource.CLOSED && stream === source) {
      stream = null;
      // Held while asking, so that no page opens the stream again meanwhile.
      reopen = setTimeout(() => undefined, REOPEN_MS);
      void refusedNow(path).then((no) => {
        if (path !== streamPath) return;
        clearTimeout(reopen);
        reopen = undefined;
        if (no) refused = true;
        else reopen = setTimeout(() => listeners.size > 0 && connect(), REOPEN_MS);
      });
    }
  };
  for (const type of LIVE_EVENT_TYPES) {
    source.addEventListener(type, (message) => {
      const event = parseLiveEvent(type, (message as MessageEvent).data);
      listeners.forEach((l) => l.event(event));
    });
  }
}

/**
 * The stream stays open this long after its last listener leaves: a page that swaps its source
 * (the queue's next page, another filter) unsubscribes the old one just before subscribing the
 * new, and must not reconnect in between.
 */
const LINGER_MS = 2000;
let linger: ReturnType<typeof setTimeout> | undefined;

function listen(listener: StreamListener): () => void {
  clearTimeout(linger);
  linger = undefined;
  listeners.add(listener);
  if (stream === null && reopen === undefined) connect();
  listener.state(open);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    clearTimeout(linger);
    linger = setTimeout(closeStream, LINGER_MS);
  };
}

function closeStream() {
  linger = undefined;
  if (listeners.size > 0) return;
  stream?.close();
  stream = null;
  clearTimeout(reopen);
  reopen = undefined;
  open = false;
}

export interface LiveOptions {
  /** The events after which `load` runs again. */
  types: readonly LiveEventType[];
  /** How often to poll while the stream is not open. */
  fallbackMs: number;
  /**
   * How often to poll even while it is open, for what no event announces (new measurements
   * that change no state). Absent: only events reload.
   */
  livePollMs?: number;
  /** Of the events of `types`, only those this accepts reload (one ticket's page: its id). */
  accepts?: (event: LiveEventData) => boolean;
  /**
   * At least this long between the starts of two loads: a large fleet's snapshot is megabytes,
   * and a burst of events then makes one more load, not one per event.
   */
  minGapMs?: number;
}

/**
 * Loads now, again after each event of `types` (coalesced: never two loads at once, at most
 * one more after the current), and every `fallbackMs` while the stream is down. When the stream
 * (re)opens it loads once, for what happened while it was closed.
 */
export function liveSource<T>(load: () => Promise<T>, options: LiveOptions): Source<T> {
  return {
    subscribe(observer: SourceObserver<T>) {
      let stopped = false;
      let loading = false;
      let again = false;
      let live = false;
      let poll: ReturnType<typeof setTimeout> | undefined;
      let held: ReturnType<typeof setTimeout> | undefined;
      let lastStart = -Infinity;

      const schedulePoll = () => {
        clearTimeout(poll);
        const every = live ? options.livePollMs : options.fallbackMs;
        if (!stopped && every !== undefined) poll = setTimeout(() => void refresh(), every);
      };
      const refresh = async (): Promise<void> => {
        if (loading) {
          again = true;
          return;
        }
        const wait = lastStart + (options.minGapMs ?? 0) - Date.now();
        if (wait > 0) {
          held ??= setTimeout(() => {
            held = undefined;
            void refresh();
          }, wait);
          return;
        }
        lastStart = Date.now();
        loading = true;
        try {
          const value = await load();
          if (!stopped) observer.next(value);
        } catch (cause) {
          if (!stopped) observer.error(toApiError(cause));
        }
        loading = false;
        if (again && !stopped) {
          again = false;
          return refresh();
        }
        schedulePoll();
      };

      const unlisten = listen({
        event: (event) => {
          if (!options.types.includes(event.type)) return;
          if (options.accepts === undefined || options.accepts(event)) void refresh();
        },
        state: (isOpen) => {
          const opened = isOpen && !live;
          live = isOpen;
          if (opened) {
            void refresh();
          } else if (!isOpen) {
            schedulePoll();
          }
        },
      });
      if (!live) void refresh();
      return () => {
        stopped = true;
        clearTimeout(poll);
        clearTimeout(held);
        unlisten();
      };
    },
  };
}

/**
 * `usePolling`'s answer, from a live source: a drop-in for pages that polled. `accepts` may be
 * a new function each render; the latest one decides.
 */
export function useLive<T>(
  load: () => Promise<T>,
  types: readonly LiveEventType[],
  fallbackMs: number,
  livePollMs?: number,
  accepts?: (event: LiveEventData) => boolean,
): Polled<T> {
  const acceptsRef = useRef(accepts);
  useEffect(() => {
    acceptsRef.current = accepts;
  });
  const [held, setHeld] = useState<Polled<T> & { load: () => Promise<T> | null }>({
    load: () => null,
    data: null,
    error: null,
    fetchedAt: null,
  });
  const typeKey = types.join(',');
  useEffect(() => {
    const source = liveSource(load, {
      types: typeKey.split(',') as LiveEventType[],
      fallbackMs,
      ...(livePollMs !== undefined ? { livePollMs } : {}),
      accepts: (event) => acceptsRef.current?.(event) ?? true,
    });
    return source.subscribe({
      next: (data) => setHeld({ load, data, error: null, fetchedAt: Date.now() }),
      error: (error) =>
        setHeld((previous) =>
          previous.load === load
            ? { ...previous, error }
            : { load, data: null, error, fetchedAt: null },
        ),
    });
  }, [load, typeKey, fallbackMs, livePollMs]);
  if (held.load !== load) return { data: null, error: null, fetchedAt: null };
  return { data: held.data, error: held.error, fetchedAt: held.fetchedAt };
}

function toApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, CLIENT_ERROR_CODES.badResponse, message);
}

/**
 * Runs `reload` after each live event of `types` that `accepts`, once when the stream
 * (re)opens, and every `fallbackMs` while it is down — or every `livePollMs` while it is open,
 * for what no event announces (how long ago a branch was checked). The portal's pages and the
 * bell read their data this way.
 */
export function useLiveRefresh(
  types: readonly LiveEventType[],
  reload: () => void,
  fallbackMs: number,
  options: { accepts?: (event: LiveEventData) => boolean; livePollMs?: number } = {},
): void {
  const accepts = useRef(options.accepts);
  useEffect(() => {
    accepts.current = options.accepts;
  });
  const typeKey = types.join(' ');
  const { livePollMs } = options;
  useEffect(() => {
    const wanted = typeKey.split(' ');
    let live = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const schedule = () => {
      clearInterval(timer);
      const every = live ? livePollMs : fallbackMs;
      timer = every === undefined ? undefined : setInterval(reload, every);
    };
    const unlisten = listen({
      event: (event) => {
        if (!wanted.includes(event.type)) return;
        if (accepts.current === undefined || accepts.current(event)) reload();
      },
      state: (isOpen) => {
        const opened = isOpen && !live;
        live = isOpen;
        if (opened) reload();
        schedule();
      },
    });
    schedule();
    return () => {
      unlisten();
      clearInterval(timer);
    };
  }, [typeKey, reload, fallbackMs, livePollMs]);
}
