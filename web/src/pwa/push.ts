// This browser's web push subscription (docs/notifications.md "Push to the browser"): the
// service worker (sw.ts) receives the hub's messages and shows them; the subscription the
// browser's push service gives is handed to the hub, which encrypts to its keys.

/** Whether this browser can receive push messages at all (a service worker and the Push API). */
export const pushSupported = (): boolean =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** The service worker in charge, or none within a few seconds (a development server has none). */
async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  const none = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 4000));
  return Promise.race([navigator.serviceWorker.ready, none]);
}

/** This browser's current push subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const worker = await registration();
  return (await worker?.pushManager.getSubscription()) ?? null;
}

/** Why subscribing did not work, in words the profile card shows. */
export type PushProblem = 'blocked' | 'unreachable' | 'noWorker';

export class PushRefused extends Error {
  constructor(readonly problem: PushProblem) {
    super(problem);
  }
}

/**
 * Asks the person's permission, then the browser's push service for a subscription under the
 * hub's key. Refused permission and an unreachable push service (many branch networks cannot
 * reach the browsers' push services) are told apart.
 */
export async function subscribeThisBrowser(publicKey: string): Promise<PushSubscriptionJSON> {
  if ((await Notification.requestPermission()) !== 'granted') throw new PushRefused('blocked');
  const worker = await registration();
  if (!worker) throw new PushRefused('noWorker');
  try {
    const subscription = await worker.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: fromBase64url(publicKey),
    });
    return subscription.toJSON();
  } catch {
    throw new PushRefused('unreachable');
  }
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
