import type { ApiClient } from './client';
import type { ApiAnswer, ApiBody, ItemList } from './types';

// Notifications (hub/src/notify/notify.routes.ts, docs/notifications.md): tenant subscriptions,
// the delivery log with resend, and each user's own preferences (including the UI language).

export {
  LANGUAGES as NOTIFY_LANGUAGES,
  NOTIFY_CHANNELS,
  PERSONAL_CHANNELS,
  SUBSCRIPTION_CHANNELS,
  NOTIFY_EVENTS,
  WEBHOOK_FORMATS,
  type NotifyEvent,
} from '@branchwatch/api';

export type Subscription = ApiAnswer<'/api/v1/notify/subscriptions', 'get'>['items'][number];
export type NewSubscription = ApiBody<'/api/v1/notify/subscriptions', 'post'>;
export type ChannelTestResult = ApiAnswer<
  '/api/v1/notify/subscriptions/{id}/test',
  'post'
>['result'];
export type DeliveryPage = ApiAnswer<'/api/v1/notify/deliveries', 'get'>;
export type Delivery = DeliveryPage['items'][number];
export type DeliveryStatus = Delivery['status'];
export type DeliveryCounts = DeliveryPage['counts'];
/** The hub's answer: with `stored` false while the user has saved none (defaults shown). */
export type StoredPreferences = ApiAnswer<'/api/v1/notify/preferences', 'get'>['preferences'];
/**
 * What PUT takes: exactly the preference fields (the route's object is strict). The Telegram
 * account is not among them: it is linked by proof (`telegramLink`), never typed.
 */
export type Preferences = Required<ApiBody<'/api/v1/notify/preferences', 'put'>>;
/** The settings form's state: what PUT takes, and the linked Telegram account it shows. */
export type PreferencesView = Preferences &
  Pick<StoredPreferences, 'telegramChatId' | 'telegramUserId'>;
/** The hub's push key and the person's browsers subscribed to push. */
export type PushState = ApiAnswer<'/api/v1/notify/push', 'get'>;
export type PushSubscriptionBody = ApiBody<'/api/v1/notify/push/subscriptions', 'put'>;
/** A one-time code to send the bot (`/link CODE`) from the Telegram account to link. */
export type TelegramLink = ApiAnswer<'/api/v1/notify/telegram/link', 'post'>['link'];

/** What PUT takes: exactly the preference fields (the route's object is strict). */
export const preferenceFields = (p: Preferences): Preferences => ({
  language: p.language,
  email: p.email,
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
    /** Sends a test message through the subscription's channel now: delivered, or why not. */
    testSubscription: async (subscriptionId: string): Promise<ChannelTestResult> =>
      (
        await api.send<{ result: ChannelTestResult }>(
          'POST',
          `/api/v1/notify/subscriptions/${id(subscriptionId)}/test`,
        )
      ).result,
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
    telegramLink: async () =>
      (await api.send<{ link: TelegramLink }>('POST', '/api/v1/notify/telegram/link')).link,
    unlinkTelegram: () => api.send<void>('DELETE', '/api/v1/notify/telegram/link'),
    push: () => api.send<PushState>('GET', '/api/v1/notify/push'),
    subscribePush: async (subscription: PushSubscriptionBody) =>
      (
        await api.send<{ subscription: PushState['subscriptions'][number] }>(
          'PUT',
          '/api/v1/notify/push/subscriptions',
          subscription,
        )
      ).subscription,
    unsubscribePush: (subscriptionId: string) =>
      api.send<void>('DELETE', `/api/v1/notify/push/subscriptions/${id(subscriptionId)}`),
  };
}

export type NotifyApi = ReturnType<typeof notifyApi>;
