import http from 'node:http';
import https from 'node:https';
import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';
import { DestinationRefused, type DestinationGuard } from './destination-guard.js';
import { webhookBody } from './payloads.js';
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
      const status = await post(url, target, headers, body, signal);
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

/** One POST to `url`, connected to the address the guard checked; resolves with the status. */
function post(
  url: URL,
  target: { address: string; family: number },
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal,
      // The name was resolved and checked already: connect to that address (TLS still
      // verifies the certificate against the URL's host name).
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all)
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
        else callback(null, target.address, target.family);
      },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.end(body);
  });
}
