// Installs the service worker (./sw.ts) in a built app (whatever its mode: the tests' build is
// not a production one); the development server, which has hot reload, builds none.

/** The caches of the portal's readings (sw.ts `READINGS`), forgotten when a person leaves. */
const READINGS_PREFIX = 'bw-readings-';

export function registerServiceWorker(): void {
  if (import.meta.hot || !('serviceWorker' in navigator)) return;
  void navigator.serviceWorker
    .register('/sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // Files this page loaded before the worker took charge (the chunks of the page shown)
      // are kept too, so the same page opens offline after the first visit.
      const loaded = performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((url) => new URL(url).pathname.startsWith('/assets/'));
      registration.active?.postMessage({ keep: loaded });
    })
    .catch(() => undefined);
}

/** Signing out leaves nothing of the person's tickets in this browser's caches. */
export async function forgetReadings(): Promise<void> {
  if (!('caches' in globalThis)) return;
  for (const name of await caches.keys())
    if (name.startsWith(READINGS_PREFIX)) await caches.delete(name);
}
