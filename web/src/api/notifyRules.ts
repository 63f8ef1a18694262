import type { MessageKey } from '../i18n';
import type { Delivery, NewSubscription, PreferencesView } from './notifyApi';

// The hub's own checks of notify.routes.ts, run in the browser before sending so that a form
// marks its field at once; the hub checks again and its refusal is shown the same way.

export interface FieldProblem {
  field: string;
  message: MessageKey;
}

/** zod 4's `z.email()` pattern, the one the hub checks preferences with. */
const EMAIL =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function checkSubscription(s: NewSubscription): FieldProblem | null {
  const address = s.address.trim();
  if (address === '') return { field: 'address', message: 'admin.channels.addressRequired' };
  if (address.length > 2000) return { field: 'address', message: 'admin.channels.addressTooLong' };
  if (s.channel === 'webhook' && !/^https?:\/\//.test(address))
    return { field: 'address', message: 'admin.channels.addressUrl' };
  if (s.events.length === 0) return { field: 'events', message: 'admin.channels.eventsRequired' };
  if (s.secret && (s.secret.length < 16 || s.secret.length > 200))
    return { field: 'secret', message: 'admin.channels.secretLength' };
  return null;
}

export function checkPreferences(
  p: PreferencesView,
  timeZones: readonly string[],
): FieldProblem | null {
  if (p.email !== null && !EMAIL.test(p.email))
    return { field: 'email', message: 'profile.emailInvalid' };
  for (const field of ['quietStart', 'quietEnd'] as const) {
    const value = p[field];
    if (value !== null && !HHMM.test(value)) return { field, message: 'profile.timeInvalid' };
  }
  if (p.timeZone !== 'UTC' && !timeZones.includes(p.timeZone))
    return { field: 'timeZone', message: 'profile.timeZoneUnknown' };
  if (p.channels.includes('email') && p.email === null)
    return { field: 'email', message: 'profile.emailNeeded' };
  if (p.channels.includes('telegram') && p.telegramChatId === null)
    return { field: 'channels', message: 'profile.telegramNeeded' };
  return null;
}

/**
 * An address as the list shows it: a webhook URL without what often carries a credential
 * (user info, query string, a long token in the path, as Slack's and Teams' URLs have).
 */
export function displayAddress(channel: string, address: string): string {
  if (channel !== 'webhook') return address;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return address;
  }
  const path = url.pathname
    .split('/')
    .map((part) => (part.length > 16 ? `${part.slice(0, 4)}…` : part))
    .join('/');
  return `${url.protocol}//${url.host}${path}${url.search ? '?…' : ''}`;
}

export type DeliveryState = 'delivered' | 'queued' | 'retrying' | 'dead';

/** The hub keeps `pending` for both a first try and a retry; attempts tell them apart. */
export function deliveryState(d: Pick<Delivery, 'status' | 'attempts'>): DeliveryState {
  if (d.status === 'sent') return 'delivered';
  if (d.status === 'dead') return 'dead';
  return d.attempts > 0 ? 'retrying' : 'queued';
}

/** Resend makes sense for what failed: dead letters and deliveries between retries. */
export const canResend = (d: Pick<Delivery, 'status' | 'attempts'>) =>
  ['dead', 'retrying'].includes(deliveryState(d));

/** Dead letters per subscription, for the badge on each channel. */
export function deadLetters(deliveries: Pick<Delivery, 'status' | 'subscriptionId'>[]) {
  const counts = new Map<string, number>();
  for (const d of deliveries) {
    if (d.status !== 'dead' || !d.subscriptionId) continue;
    counts.set(d.subscriptionId, (counts.get(d.subscriptionId) ?? 0) + 1);
  }
  return counts;
}
