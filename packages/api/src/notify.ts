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

export const NOTIFY_CHANNELS = ['webhook', 'email', 'telegram'] as const;
export type ChannelType = (typeof NOTIFY_CHANNELS)[number];

/** Bodies a webhook can take: plain JSON, a Slack message, a Teams Adaptive Card. */
export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Languages of the UI and of messages. */
export const LANGUAGES = ['en', 'fa', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
