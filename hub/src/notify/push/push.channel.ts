import webPush from 'web-push';
import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';
import { DestinationRefused, type DestinationGuard } from '../webhook/destination-guard.js';
import { pinnedPost } from '../webhook/pinned-post.js';
import type { PushRepository } from './push.repository.js';
import type { VapidKeyStore } from './vapid.js';

/** What the service worker receives (web/src/pwa/sw.ts `push`). */
export interface PushPayload {
  title: string;
  body: string;
  /** The page a click opens: the ticket's. */
  url: string;
  lang: string;
}

// A push message holds 4096 bytes (RFC 8291 §4) of which the encryption takes 103 and
// the JSON a few dozen: the text is cut well before.
const BODY_CHARS = 600;
// A day: news older than that is no news (RFC 8030 §5.2).
const TTL_SECONDS = 24 * 3600;

/**
 * Delivers a notification to one browser through its push service (RFC 8030), encrypted to
 * the browser's keys (RFC 8291, aes128gcm) and signed with the hub's VAPID key (RFC 8292) by
 * the `web-push` library. The outbox row's address is the subscription's id: its endpoint and
 * keys are read at delivery, so a subscription removed since is not sent to. The push service
 * must pass the same guard as webhooks (an endpoint is a URL the browser chose, which a person
 * could write by hand), and the connection goes to the address checked.
 */
export class PushChannel implements NotificationChannel {
  readonly type = 'push';

  constructor(
    private readonly repo: PushRepository,
    private readonly vapid: VapidKeyStore,
    private readonly guard: DestinationGuard,
    /** RFC 8292 §2.1 `sub`: how a push service reaches the hub's operator. */
    private readonly subject: string,
  ) {}

  async send(message: OutboundMessage, signal: AbortSignal): Promise<DeliveryResult> {
    const subscription = await this.repo.byId(message.address);
    if (!subscription) return { ok: false, error: 'the browser unsubscribed', retry: false };
    const payload: PushPayload = {
      title: message.subject,
      body: cut(message.text, BODY_CHARS),
      url: message.path ?? '/',
      lang: message.language,
    };
    try {
      const url = new URL(subscription.endpoint);
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return { ok: false, error: `not an http(s) URL: ${url.protocol}`, retry: false };
      const target = await this.guard.addressOf(url.hostname);
      const keys = await this.vapid.keys();
      const request = webPush.generateRequestDetails(
        {
          endpoint: subscription.endpoint,
          keys: { p256dh: subscription.p256dh, auth: subscription.auth },
        },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: this.subject, ...keys },
          TTL: TTL_SECONDS,
          contentEncoding: 'aes128gcm',
        },
      );
      const status = await pinnedPost(
        url,
        target,
        request.headers,
        request.body ?? Buffer.alloc(0),
        signal,
      );
      if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
      // RFC 8030 §7.3: the subscription expired or was withdrawn; it never comes back.
      if (status === 404 || status === 410) {
        await this.repo.forget(subscription.id);
        return { ok: false, error: `HTTP ${status}: the subscription is gone`, retry: false };
      }
      const retry = status >= 500 || status === 408 || status === 429;
      return { ok: false, error: `HTTP ${status}`, retry };
    } catch (err) {
      if (err instanceof DestinationRefused) return { ok: false, error: err.message, retry: false };
      return { ok: false, error: (err as Error).message, retry: true };
    }
  }
}

const cut = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
