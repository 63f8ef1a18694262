import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';
import { webhookBody } from './payloads.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './signature.js';

/** POSTs the event to a tenant's URL, signed when the subscription has a secret. */
export class WebhookChannel implements NotificationChannel {
  readonly type = 'webhook';

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
      const response = await fetch(message.address, { method: 'POST', headers, body, signal });
      await response.body?.cancel();
      if (response.ok) return { ok: true, detail: `HTTP ${response.status}` };
      // 4xx other than 408/429 means the receiver refuses this body: retrying cannot help.
      const retry = response.status >= 500 || response.status === 408 || response.status === 429;
      return { ok: false, error: `HTTP ${response.status}`, retry };
    } catch (err) {
      return { ok: false, error: (err as Error).message, retry: true };
    }
  }
}
