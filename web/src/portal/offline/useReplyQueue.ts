import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { usePortalApi } from '../usePortal';
import { onQueueChange, queuedReplies, sendQueued, type QueuedReply } from './replyQueue';

const subscribeOnline = (listener: () => void) => {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
};

/** Whether the browser says it has a connection (it changes with the `online` event). */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}

/** While replies wait, the queue is tried this often too (a hub that was down comes back). */
const RETRY_MS = 15_000;

/**
 * Sends the person's waiting replies whenever the connection returns (and on start, and now
 * and then while some wait). `onSent` runs after any was sent, so a page shows them.
 */
export function useReplySender(userId: string, onSent?: () => void): void {
  const portal = usePortalApi();
  const online = useOnline();
  useEffect(() => {
    if (!online) return;
    const flush = () =>
      void sendQueued(userId, portal).then(
        (sent) => {
          if (sent > 0) onSent?.();
        },
        () => undefined,
      );
    flush();
    const timer = setInterval(flush, RETRY_MS);
    return () => clearInterval(timer);
  }, [online, portal, userId, onSent]);
}

/** The replies of one ticket that wait to be sent (or were refused), kept up to date. */
export function useQueuedReplies(userId: string, ticketId: string): QueuedReply[] {
  const [replies, setReplies] = useState<QueuedReply[]>([]);
  const read = useCallback(
    () => void queuedReplies(userId, ticketId).then(setReplies, () => setReplies([])),
    [userId, ticketId],
  );
  useEffect(() => {
    read();
    return onQueueChange(read);
  }, [read]);
  return replies;
}
