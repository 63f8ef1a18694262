import { PERSONAL_CHANNELS, SUBSCRIPTION_CHANNELS, WEBHOOK_FORMATS } from '@branchwatch/api';
import { z } from 'zod';
import { LANGUAGES, NOTIFY_CHANNELS, NOTIFY_EVENTS } from './channel.js';
import { timestamp, uuid } from '../http/schemas.js';

/** Answers of the notification routes (docs/notifications.md). */
export const preferencesAnswer = z.object({
  userId: uuid,
  language: z.enum(LANGUAGES),
  email: z.string().nullable(),
  /** The linked Telegram account's private chat and user id (set by linking, not typed). */
  telegramChatId: z.string().nullable(),
  telegramUserId: z.string().nullable(),
  channels: z.array(z.enum(PERSONAL_CHANNELS)),
  events: z.array(z.enum(NOTIFY_EVENTS)),
  quietStart: z.string().nullable(),
  quietEnd: z.string().nullable(),
  timeZone: z.string(),
});

export const telegramLinkAnswer = z.object({
  code: z.string(),
  /** What to send the bot from the Telegram account to link. */
  command: z.string(),
  expiresAt: timestamp,
});

export const subscriptionAnswer = z.object({
  id: uuid,
  tenantId: uuid.nullable(),
  channel: z.enum(SUBSCRIPTION_CHANNELS),
  address: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  language: z.enum(LANGUAGES),
  events: z.array(z.enum(NOTIFY_EVENTS)),
  enabled: z.boolean(),
  /** Webhooks: whether bodies are signed (the secret itself is in the create answer only). */
  signed: z.boolean(),
});

export const deliveryAnswer = z.object({
  id: z.string().describe('A decimal number'),
  tenantId: uuid.nullable(),
  channel: z.enum(NOTIFY_CHANNELS),
  address: z.string(),
  subscriptionId: uuid.nullable(),
  eventType: z.enum(NOTIFY_EVENTS),
  /** What was (or will be) sent, without the webhook secret. */
  message: z.looseObject({
    event: z.enum(NOTIFY_EVENTS),
    address: z.string(),
    language: z.enum(LANGUAGES),
    subject: z.string(),
    text: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
  /** The message's files, without their content (`GET …/deliveries/:id/attachments/:n`). */
  attachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), bytes: z.number().int() }),
  ),
  status: z.enum(['pending', 'sent', 'dead']),
  attempts: z.number().int(),
  nextAttemptAt: timestamp,
  lastError: z.string().nullable(),
  createdAt: timestamp,
  sentAt: timestamp.nullable(),
});

export const deliveryCounts = z.object({
  /** Dead letters over every channel: failures a person should look at. */
  dead: z.number().int(),
  byChannel: z.array(
    z.object({
      channel: z.enum(NOTIFY_CHANNELS),
      pending: z.number().int(),
      retrying: z.number().int(),
      sent: z.number().int(),
      dead: z.number().int(),
    }),
  ),
});
