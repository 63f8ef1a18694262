import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';
import { DestinationRefused, type DestinationGuard } from './destination-guard.js';
import { webhookBody } from './payloads.js';
import { pinnedPost } from './pinned-post.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './signature.js';

/**
 * POSTs the event to a tenant's URL, signed when the subscription has a secret. The
 * destination passes the guard first (destination-guard.ts) and the connection goes to the
 * address it checked; redirects are not followed (one could lead past the guard).
 */
export class WebhookChannel implements NotificationChannel {
  readonly type = 'webhook';

  constructor(private readonly guard: DestinationGuard) {}

  async send(message: OutboundMessage, signal: AbortSignal): Promise<DeliveryResult> {
    const body = JSON.stringify(webhookBody(message, String(message.data.deliveryId ?? '')));
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Branchwatch-Webhook/1',
      [TIMESTAMP_HEADER]: String(timestamp),
    };
    if (message.secret) headers[SIGNATURE_HEADER] = sign(message.secret, timestamp, body);
    try {
      const url = new URL(message.address);
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return { ok: false, error: `not an http(s) URL: ${url.protocol}`, retry: false };
      const target = await this.guard.addressOf(url.hostname);
      const status = await pinnedPost(url, target, headers, body, signal);
      if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
      // 4xx other than 408/429 means the receiver refuses this body: retrying cannot help.
      const retry = status >= 500 || status === 408 || status === 429;
      return { ok: false, error: `HTTP ${status}`, retry };
    } catch (err) {
      if (err instanceof DestinationRefused) return { ok: false, error: err.message, retry: false };
      return { ok: false, error: (err as Error).message, retry: true };
    }
  }
}
