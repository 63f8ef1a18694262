/** What people and channels can be told about (docs/notifications.md). */
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

/** What a tenant's subscription sends to (Admin → Notification channels). */
export const SUBSCRIPTION_CHANNELS = ['webhook', 'email', 'telegram'] as const;
/** What a person's own preferences send to; `push` goes to each browser they subscribed. */
export const PERSONAL_CHANNELS = ['email', 'telegram', 'push'] as const;
/** Every channel a delivery goes through. */
export const NOTIFY_CHANNELS = ['webhook', 'email', 'telegram', 'push'] as const;
export type ChannelType = (typeof NOTIFY_CHANNELS)[number];

/** Bodies a webhook can take: plain JSON, a Slack message, a Teams Adaptive Card. */
export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Languages of the UI and of messages. */
export const LANGUAGES = ['en', 'fa', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
