// The portal's service worker (docs/requesters.md "Offline", docs/decisions.md "A hand-written
// service worker"): the app's shell — index.html and the hashed files it loads — is kept so the
// portal opens without a connection, and the portal's own readings are kept so its pages show
// what was last seen. Built by web/vite.config.ts as `sw.js`, on its own: it imports nothing.

// The few service-worker types used here (the web's tsconfig has the DOM's, not a worker's).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface MessageFromPage extends ExtendableEvent {
  readonly data: unknown;
}
interface PushMessage extends ExtendableEvent {
  readonly data: { json(): unknown } | null;
}
interface NotificationClick extends ExtendableEvent {
  readonly notification: Notification;
}
interface WindowClient {
  readonly url: string;
  focus(): Promise<WindowClient>;
  navigate(url: string): Promise<WindowClient | null>;
}
interface WorkerScope {
  readonly location: Location;
  readonly registration: ServiceWorkerRegistration;
  skipWaiting(): Promise<void>;
  readonly clients: {
    claim(): Promise<void>;
    matchAll(options: { type: 'window' }): Promise<WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
  };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageFromPage) => void): void;
  addEventListener(type: 'push', listener: (event: PushMessage) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationClick) => void): void;
}
const worker = self as unknown as WorkerScope;

/** A new worker version replaces its caches; bump it when what is kept changes shape. */
const VERSION = 1;
const SHELL = `bw-shell-v${VERSION}`;
const READINGS = `bw-readings-v${VERSION}`;

/**
 * What the portal reads and may show again offline: who is signed in, the portal's lists and
 * tickets, the notification centre, the tenant's branding. Never files (CSV, attachments): they are downloads; never
 * the live stream.
 */
function isReading(url: URL): boolean {
  if (url.pathname === '/api/v1/auth/me') return true;
  if (url.pathname.startsWith('/api/v1/notifications')) return true;
  // The tenant's name, accent and logo in the portal's header (docs/branding.md).
  if (url.pathname === '/api/v1/branding' || url.pathname === '/api/v1/branding/logo') return true;
  return (
    url.pathname.startsWith('/api/v1/portal/') &&
    // The live stream never ends: it is read as it comes, never kept.
    !url.pathname.endsWith('/events/stream') &&
    !url.pathname.endsWith('.csv') &&
    !url.pathname.includes('/attachments')
  );
}

/** The files index.html names (the entry script, its style sheet, the manifest and icons). */
function filesNamedIn(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) found.add(match[1]!);
  return [...found];
}

async function keepShell(): Promise<void> {
  const cache = await caches.open(SHELL);
  const index = await fetch('/', { cache: 'no-store' });
  if (!index.ok) return;
  await cache.put('/', index.clone());
  await cache.addAll(filesNamedIn(await index.text()));
}

worker.addEventListener('install', (event) => {
  event.waitUntil(keepShell().then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name !== SHELL && name !== READINGS) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

/** The page names the files it loaded before this worker took charge (lazy chunks). */
worker.addEventListener('message', (event) => {
  const data = event.data as { keep?: unknown } | null;
  if (!data || !Array.isArray(data.keep)) return;
  const own = data.keep.filter(
    (u): u is string =>
      typeof u === 'string' && new URL(u, worker.location.href).origin === worker.location.origin,
  );
  event.waitUntil(
    caches.open(SHELL).then(async (cache) => {
      for (const url of own)
        if (!(await cache.match(url))) await cache.add(url).catch(() => undefined);
    }),
  );
});

/** The network first; what was kept when there is none. */
async function networkFirst(request: Request, cacheName: string, fallback?: string) {
  try {
    const answer = await fetch(request);
    // The session ended: nothing of the person's is shown again from here.
    if (answer.status === 401) await caches.delete(READINGS);
    if (answer.ok && (fallback === undefined || isHtml(answer))) {
      const cache = await caches.open(cacheName);
      await cache.put(fallback ?? request, answer.clone());
    }
    return answer;
  } catch (offline) {
    const kept = await caches.match(fallback ?? request);
    if (kept) return kept;
    throw offline;
  }
}

const isHtml = (answer: Response) =>
  (answer.headers.get('content-type') ?? '').startsWith('text/html');

/** Hashed files never change: what was kept is right. */
async function keptFirst(request: Request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const answer = await fetch(request);
  if (answer.ok) await (await caches.open(SHELL)).put(request, answer.clone());
  return answer;
}

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  // Any address of the app is the one page: offline, the kept index.html answers it.
  // (The API's addresses opened as pages are downloads or sign-in redirects: never the shell.)
  if (request.mode === 'navigate' && !url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request, SHELL, '/'));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(keptFirst(request));
    return;
  }
  if (isReading(url)) event.respondWith(networkFirst(request, READINGS));
});

/**
 * A push message from the hub (hub/src/notify/push/push.channel.ts `PushPayload`): shown as a
 * notification in the person's language and direction; a click opens the ticket.
 */
worker.addEventListener('push', (event) => {
  const message = (event.data?.json() ?? {}) as {
    title?: string;
    body?: string;
    url?: string;
    lang?: string;
  };
  event.waitUntil(
    worker.registration.showNotification(message.title ?? 'Branchwatch', {
      body: message.body ?? '',
      lang: message.lang,
      dir: message.lang === 'fa' ? 'rtl' : 'ltr',
      icon: '/icons/icon-192.png',
      data: { url: message.url ?? '/' },
    }),
  );
});

/** A click on a notification: the app's open window goes to the ticket, or a new one opens. */
worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path = (event.notification.data as { url?: string } | null)?.url ?? '/';
  const url = new URL(path, worker.location.origin);
  if (url.origin !== worker.location.origin) return;
  event.waitUntil(
    (async () => {
      const [open] = await worker.clients.matchAll({ type: 'window' });
      if (open) {
        await open.focus();
        await open.navigate(url.href);
      } else await worker.clients.openWindow(url.href);
    })(),
  );
});
