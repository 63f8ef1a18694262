import { ApiError } from '../../api/client';

// Replies written without a connection (docs/requesters.md "Offline"), with their photos: kept
// in this browser's IndexedDB (a File is stored as it is, structured clone) with a key made when
// the reply was written, one for its text and one for each photo, sent when the connection
// returns with those keys as `Idempotency-Key`. The hub stores one reply and one photo per key,
// so one whose answer was lost on the way (sent, stored, then the connection dropped) is never
// stored twice.

export interface QueuedPhoto {
  /** This photo's `Idempotency-Key`. */
  key: string;
  file: File;
}

export interface QueuedReply {
  /** The text's `Idempotency-Key`: made once, when the person pressed Send. */
  key: string;
  userId: string;
  ticketId: string;
  /** Empty once the text was sent (or when only photos were written). */
  body: string;
  /** The photos still to send, in the order they were picked (none in replies kept before). */
  photos?: QueuedPhoto[];
  writtenAt: number;
  /** The hub refused it (the ticket is gone, …): kept for the person to read and discard. */
  refused?: 'gone' | 'other';
  /** The hub's refusal, to say why in the person's language. */
  refusal?: { status: number; code: string; message: string; details?: unknown };
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

/** How the queue sends: the reply's text and each photo, each with its key. */
export interface ReplySender {
  reply: (ticketId: string, body: string, key: string) => Promise<unknown>;
  attach: (ticketId: string, file: File, key: string) => Promise<unknown>;
}

/**
 * Sends what is left of one reply, text first, then each photo; `progress` learns what is left
 * after each part (the queue keeps it at once, so an interruption sends only the rest). Throws
 * what the hub or the network answered.
 */
export async function sendReply(
  reply: QueuedReply,
  send: ReplySender,
  progress: (rest: QueuedReply) => Promise<void>,
): Promise<void> {
  let rest = reply;
  if (rest.body !== '') {
    await send.reply(rest.ticketId, rest.body, rest.key);
    rest = { ...rest, body: '' };
    await progress(rest);
  }
  while (rest.photos?.length) {
    const [photo, ...others] = rest.photos;
    await send.attach(rest.ticketId, photo!.file, photo!.key);
    rest = { ...rest, photos: others };
    await progress(rest);
  }
}

/** Keeps what is left of `reply` as refused by the hub, with its answer. */
export async function refuseReply(reply: QueuedReply, error: unknown): Promise<void> {
  const left = (await queuedReplies(reply.userId, reply.ticketId)).find((r) => r.key === reply.key);
  await queueReply({
    ...(left ?? reply),
    refused: error instanceof ApiError && error.status === 404 ? 'gone' : 'other',
    ...(error instanceof ApiError
      ? {
          refusal: {
            status: error.status,
            code: error.code,
            message: error.message,
            details: error.details,
          },
        }
      : {}),
  });
}

let flushing: Promise<number> | null = null;

/**
 * Sends this person's waiting replies, oldest first, each with its keys; stops at the first
 * that finds no connection. Resolves to how many were sent. One flush at a time in a tab
 * (another tab may flush the same ones: the keys keep them single on the hub).
 */
export function sendQueued(userId: string, send: ReplySender): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    try {
      for (const reply of await queuedReplies(userId)) {
        if (reply.refused !== undefined) continue;
        try {
          await sendReply(reply, send, async (rest) => {
            if (rest.photos?.length) await queueReply(rest);
          });
          await discardReply(reply.key);
          sent += 1;
        } catch (error) {
          if (isUnreachable(error)) break;
          await refuseReply(reply, error);
        }
      }
    } finally {
      flushing = null;
    }
    return sent;
  })();
  return flushing;
}
