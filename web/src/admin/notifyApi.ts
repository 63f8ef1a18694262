import type { ApiClient } from '../api/client';
import type { ItemList } from '../api/types';

// Notifications (hub/src/notify/notify.routes.ts, docs/notifications.md): tenant subscriptions,
// the delivery log with resend, and each user's own preferences (including the UI language).

export const NOTIFY_EVENTS = [
  'ticket.opened',
  'ticket.assigned',
  'ticket.replied',
  'ticket.resolved',
  'sla.warning',
  'sla.breach',
  'agent.offline',
  'check.failing',
  'check.recovered',
  'digest.daily',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export const NOTIFY_CHANNELS = ['webhook', 'email', 'telegram'] as const;
export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const;
export const NOTIFY_LANGUAGES = ['en', 'fa', 'fr'] as const;

export interface Subscription {
  id: string;
  tenantId: string | null;
  channel: (typeof NOTIFY_CHANNELS)[number];
  address: string;
  format: (typeof WEBHOOK_FORMATS)[number];
  language: string;
  events: string[];
  enabled: boolean;
  /** Whether webhook bodies are signed; the secret itself is never sent back. */
  signed: boolean;
}

export interface NewSubscription {
  channel: Subscription['channel'];
  address: string;
  format: Subscription['format'];
  language: string;
  events: string[];
  secret?: string | null;
  tenantId?: string | null;
}

export type DeliveryStatus = 'pending' | 'sent' | 'dead';

export interface DeliveryCounts {
  dead: number;
  byChannel: { channel: string; pending: number; retrying: number; sent: number; dead: number }[];
}

export interface Delivery {
  id: string;
  tenantId: string | null;
  channel: string;
  address: string;
  /** Null for a user's own channel (preferences). */
  subscriptionId?: string | null;
  eventType: string;
  message: { subject?: string };
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface Preferences {
  language: string;
  email: string | null;
  telegramChatId: string | null;
  telegramUserId: string | null;
  channels: ('email' | 'telegram')[];
  events: string[];
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
}

/** The hub's answer: with `stored` false while the user has saved none (defaults shown). */
export type StoredPreferences = Preferences & { userId?: string; stored?: boolean };

/** What PUT takes: exactly the preference fields (the route's object is strict). */
export const preferenceFields = (p: StoredPreferences): Preferences => ({
  language: p.language,
  email: p.email,
  telegramChatId: p.telegramChatId,
  telegramUserId: p.telegramUserId,
  channels: p.channels,
  events: p.events,
  quietStart: p.quietStart,
  quietEnd: p.quietEnd,
  timeZone: p.timeZone,
});

const id = encodeURIComponent;

export function notifyApi(api: ApiClient) {
  return {
    subscriptions: async () =>
      (await api.send<ItemList<Subscription>>('GET', '/api/v1/notify/subscriptions')).items,
    /** The answer carries the webhook's signing secret, this once. */
    subscribe: async (input: NewSubscription) =>
      (
        await api.send<{ subscription: Subscription & { secret: string | null } }>(
          'POST',
          '/api/v1/notify/subscriptions',
          input,
        )
      ).subscription,
    unsubscribe: (subscriptionId: string) =>
      api.send<void>('DELETE', `/api/v1/notify/subscriptions/${id(subscriptionId)}`),
    deliveries: async (status?: DeliveryStatus, limit = 100) => {
      const query = new URLSearchParams({ limit: String(limit), ...(status ? { status } : {}) });
      return (
        await api.send<ItemList<Delivery>>('GET', `/api/v1/notify/deliveries?${query.toString()}`)
      ).items;
    },
    /** Dead letters over every channel, and per channel how many are in each state. */
    deliveryCounts: async () =>
      (await api.send<{ counts: DeliveryCounts }>('GET', '/api/v1/notify/deliveries?limit=1'))
        .counts,
    resend: (deliveryId: string) =>
      api.send<void>('POST', `/api/v1/notify/deliveries/${id(deliveryId)}/resend`),
    preferences: async () =>
      (await api.send<{ preferences: StoredPreferences }>('GET', '/api/v1/notify/preferences'))
        .preferences,
    savePreferences: async (p: Preferences) =>
      (
        await api.send<{ preferences: StoredPreferences }>(
          'PUT',
          '/api/v1/notify/preferences',
          preferenceFields(p),
        )
      ).preferences,
  };
}

export type NotifyApi = ReturnType<typeof notifyApi>;
