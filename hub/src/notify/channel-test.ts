import { randomUUID } from 'node:crypto';
import type { ChannelRegistry, DeliveryResult, Language, OutboundMessage } from './channel.js';
import type { Subscription } from './notify.repository.js';

/**
 * Why a test message did not arrive, as a person can act on it (the UI says each in words):
 * the hub refused the destination, nothing listens there, the name does not resolve, no answer
 * in time, the receiver answered with an error status, the channel is not set up on this hub,
 * or anything else (then the sender's own message is all there is).
 */
export const TEST_FAILURES = [
  'destination_refused',
  'connection_refused',
  'name_not_found',
  'timeout',
  'http_status',
  'not_configured',
  'other',
] as const;
export type TestFailure = (typeof TEST_FAILURES)[number];

export type TestOutcome =
  | { delivered: true; detail: string | null }
  | { delivered: false; reason: TestFailure; error: string; status: number | null };

const TEXTS: Record<Language, { subject: string; text: string }> = {
  en: {
    subject: 'Branchwatch test message',
    text: 'This is a test of this notification channel, sent by an admin from Branchwatch. Nothing needs to be done.',
  },
  fa: {
    subject: 'پیام آزمایشی Branchwatch',
    text: 'این آزمایش این کانال اعلان است که یک مدیر از Branchwatch فرستاده. کاری لازم نیست.',
  },
  fr: {
    subject: 'Message de test Branchwatch',
    text: 'Ceci est un test de ce canal de notification, envoyé par un administrateur depuis Branchwatch. Aucune action n’est nécessaire.',
  },
};

/**
 * Sends one test message through a subscription's real channel, now, outside the outbox (no
 * retry, no delivery log): an admin sees at once whether it arrives, and if not, why.
 */
export class ChannelTester {
  constructor(
    private readonly channels: ChannelRegistry,
    private readonly timeoutMs: number,
  ) {}

  async send(subscription: Subscription): Promise<TestOutcome> {
    const channel = this.channels.get(subscription.channel);
    if (!channel)
      return {
        delivered: false,
        reason: 'not_configured',
        error: `${subscription.channel} is not configured on this hub`,
        status: null,
      };
    const language = (subscription.language in TEXTS ? subscription.language : 'en') as Language;
    const message: OutboundMessage = {
      event: 'notify.test',
      address: subscription.address,
      language,
      ...TEXTS[language],
      data: { test: true, deliveryId: `test-${randomUUID()}` },
      format: subscription.format,
      secret: subscription.secret,
    };
    let result: DeliveryResult;
    try {
      result = await channel.send(message, AbortSignal.timeout(this.timeoutMs));
    } catch (err) {
      result = { ok: false, error: (err as Error).message, retry: true };
    }
    if (result.ok) return { delivered: true, detail: result.detail ?? null };
    return { delivered: false, ...classify(result.error) };
  }
}

/** The sender's error as one of TEST_FAILURES, with the HTTP status when there was one. */
export function classify(error: string): {
  reason: TestFailure;
  error: string;
  status: number | null;
} {
  const status = /^HTTP (\d{3})$/.exec(error);
  if (status) return { reason: 'http_status', error, status: Number(status[1]) };
  const reason: TestFailure = error.startsWith('refused: ')
    ? 'destination_refused'
    : /ECONNREFUSED/.test(error)
      ? 'connection_refused'
      : /ENOTFOUND|EAI_AGAIN|no address/.test(error)
        ? 'name_not_found'
        : /ETIMEDOUT|timed? ?out|aborted|TimeoutError/i.test(error)
          ? 'timeout'
          : 'other';
  return { reason, error, status: null };
}
