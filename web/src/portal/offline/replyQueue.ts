import { ApiError } from '../../api/client';

// Replies written without a connection (docs/requesters.md "Offline"): kept in this browser's
// IndexedDB with a key made when the reply was written, sent when the connection returns with
// that key as `Idempotency-Key`. The hub stores one reply per key, so a reply whose answer was
// lost on the way (sent, stored, then the connection dropped) is never stored twice.

export interface QueuedReply {
  /** The `Idempotency-Key`: made once, when the person pressed Send. */
  key: string;
  userId: string;
  ticketId: string;
  body: string;
  writtenAt: number;
  /** The hub refused it (the ticket is gone, …): kept for the person to read and discard. */
  refused?: 'gone' | 'other';
}

const DATABASE = 'branchwatch';
const STORE = 'portal-replies';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

let opened: Promise<IDBDatabase> | null = null;
function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const open = indexedDB.open(DATABASE, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => {
      opened = null;
      reject(open.error ?? new Error('IndexedDB could not be opened'));
    };
  });
  return opened;
}

async function store(mode: IDBTransactionMode) {
  return (await database()).transaction(STORE, mode).objectStore(STORE);
}

const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());

/** Called whenever the queue changes (a reply queued, sent or refused). */
export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function queuedReplies(userId: string, ticketId?: string): Promise<QueuedReply[]> {
  const all = await request((await store('readonly')).getAll() as IDBRequest<QueuedReply[]>);
  return all
    .filter((r) => r.userId === userId && (ticketId === undefined || r.ticketId === ticketId))
    .sort((a, b) => a.writtenAt - b.writtenAt);
}

export async function queueReply(reply: QueuedReply): Promise<void> {
  await request((await store('readwrite')).put(reply));
  changed();
}

export async function discardReply(key: string): Promise<void> {
  await request((await store('readwrite')).delete(key));
  changed();
}

/** A new key for a reply: random, so two devices never share one. */
export const newReplyKey = () => `reply-${crypto.randomUUID()}`;

/** A failure that means "no connection" (or the hub is down): the reply waits and is retried. */
export const isUnreachable = (error: unknown) =>
  error instanceof ApiError && (error.status === 0 || error.status >= 500);

export type SendReply = (ticketId: string, body: string, key: string) => Promise<unknown>;

let flushing: Promise<number> | null = null;

/**
 * Sends this person's waiting replies, oldest first, each with its key; stops at the first
 * that finds no connection. Resolves to how many were sent. One flush at a time in a tab
 * (another tab may flush the same ones: the keys keep them single on the hub).
 */
export function sendQueued(userId: string, send: SendReply): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    try {
      for (const reply of await queuedReplies(userId)) {
        if (reply.refused !== undefined) continue;
        try {
          await send(reply.ticketId, reply.body, reply.key);
          await discardReply(reply.key);
          sent += 1;
        } catch (error) {
          if (isUnreachable(error)) break;
          await queueReply({
            ...reply,
            refused: error instanceof ApiError && error.status === 404 ? 'gone' : 'other',
          });
        }
      }
    } finally {
      flushing = null;
    }
    return sent;
  })();
  return flushing;
}
