import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { inboxApi, type Inbox } from '../api/inboxApi';

/** How often the bell asks for news while a page is shown. */
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

/** The signed-in person's notifications, read again every 20 seconds and after each change. */
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
    const timer = setInterval(() => void reload(), INBOX_REFRESH_MS);
    return () => {
      listeners.delete(setInbox);
      clearInterval(timer);
    };
  }, [reload]);
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
