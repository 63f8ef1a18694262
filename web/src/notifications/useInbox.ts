import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { inboxApi, type Inbox } from '../api/inboxApi';
import { useLiveRefresh } from '../live/liveSource';

const INBOX_EVENTS = ['inbox.added'] as const;

/**
 * The bell reads again when the live stream says the centre has a new entry (`inbox.added`,
 * the person's own only); while the stream is down, this often.
 */
const INBOX_REFRESH_MS = 20_000;

// One store per page: the bell and the list read the same answer, and marking in one updates
// both. Plain module state with subscribers, as the live stream's (live/liveSource.ts).
let current: Inbox | null = null;
const listeners = new Set<(inbox: Inbox | null) => void>();
const publish = (inbox: Inbox | null) => {
  current = inbox;
  listeners.forEach((l) => l(inbox));
};

export interface InboxControls {
  inbox: Inbox | null;
  reload: () => Promise<void>;
  read: (id: string) => Promise<void>;
  unread: (id: string) => Promise<void>;
  readAll: () => Promise<void>;
}

/** The signed-in person's notifications, read again on each new one (live) and after each change. */
export function useInbox(): InboxControls {
  const client = useApi();
  const api = useMemo(() => inboxApi(client), [client]);
  const [inbox, setInbox] = useState<Inbox | null>(current);
  const reload = useCallback(async () => {
    try {
      publish(await api.list());
    } catch {
      // Keep what is shown; the next round tries again.
    }
  }, [api]);
  useEffect(() => {
    listeners.add(setInbox);
    void reload();
    return () => {
      listeners.delete(setInbox);
    };
  }, [reload]);
  const refresh = useCallback(() => void reload(), [reload]);
  useLiveRefresh(INBOX_EVENTS, refresh, INBOX_REFRESH_MS);
  return {
    inbox,
    reload,
    read: async (id) => {
      await api.read(id);
      await reload();
    },
    unread: async (id) => {
      await api.unread(id);
      await reload();
    },
    readAll: async () => {
      await api.readAll();
      await reload();
    },
  };
}
