import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../channel.js';
import { startReceiver } from '../test-support/receiver.js';
import { DestinationGuard, subscriptionRefusal, type Resolver } from './destination-guard.js';
import { WebhookChannel } from './webhook.channel.js';

/**
 * Webhook destinations on loopback, link-local and private networks are refused unless an
 * admin allows them (BW_WEBHOOK_ALLOWED_NETWORKS), checked on the address a name resolves to.
 * Names resolve through a resolver the test controls; the only traffic is to the receiver on
 * 127.0.0.1, and only where the test allows it.
 */

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let port: number;

/** DNS as the test wants it: `hooks.example.test` → whatever `answer` holds now. */
let answer: string[] = [];
const resolver: Resolver = async (host) => {
  if (host !== 'hooks.example.test') throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

beforeAll(async () => {
  receiver = await startReceiver(() => 204);
  port = Number(new URL(receiver.url('/')).port);
});
afterAll(() => receiver?.close());

const message = (address: string): OutboundMessage => ({
  event: 'ticket.opened',
  address,
  language: 'en',
  subject: 'Ticket #1001 opened',
  text: 'Printer offline',
  data: { deliveryId: 'd-1' },
  format: 'json',
  secret: null,
});

const send = (guard: DestinationGuard, address: string) =>
  new WebhookChannel(guard).send(message(address), AbortSignal.timeout(5000));

describe('webhook destinations', () => {
  it('refuses a name that resolves to loopback, private or link-local, and sends nothing', async () => {
    const guard = new DestinationGuard([], resolver);
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '192.168.1.1', '::1']) {
      answer = [address];
      const result = await send(guard, `http://hooks.example.test:${port}/hook`);
      expect(result, address).toMatchObject({ ok: false, retry: false });
      expect(!result.ok && result.error, address).toMatch(/^refused: .* BW_WEBHOOK_ALLOWED/);
    }
    // One private address among public ones is enough to refuse the name.
    answer = ['203.0.113.7', '10.0.0.8'];
    expect(await send(guard, `http://hooks.example.test:${port}/hook`)).toMatchObject({
      ok: false,
      retry: false,
    });
    expect(receiver.received).toEqual([]);
  });

  it('refuses such addresses written in the URL, in any spelling', async () => {
    const guard = new DestinationGuard([], resolver);
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:9/hook',
      'http://[::ffff:127.0.0.1]:9/hook',
      'http://0.0.0.0:9/hook',
      `http://2130706433:${port}/hook`,
    ]) {
      const result = await send(guard, url);
      expect(result, url).toMatchObject({ ok: false, retry: false });
      expect(!result.ok && result.error, url).toMatch(/^refused: /);
    }
    expect(receiver.received).toEqual([]);
  });

  it('delivers to a network an admin allowed, to the address it checked', async () => {
    const guard = new DestinationGuard(['127.0.0.0/8'], resolver);
    answer = ['127.0.0.1'];
    expect(await send(guard, `http://hooks.example.test:${port}/allowed`)).toEqual({
      ok: true,
      detail: 'HTTP 204',
    });
    expect(await send(guard, `http://127.0.0.1:${port}/literal`)).toMatchObject({ ok: true });
    expect(receiver.received.map((r) => [r.path, r.headers.host])).toEqual([
      ['/allowed', `hooks.example.test:${port}`],
      ['/literal', `127.0.0.1:${port}`],
    ]);
    // Allowing loopback allows nothing else.
    answer = ['10.1.2.3'];
    expect(await send(guard, `http://hooks.example.test:${port}/x`)).toMatchObject({
      ok: false,
      retry: false,
    });
  });

  it('refuses at subscription time a URL whose name resolves to such an address, naming it', async () => {
    const guard = new DestinationGuard([], resolver);
    for (const address of ['127.0.0.1', '10.1.2.3', '192.168.1.10', '169.254.169.254', 'fe80::1']) {
      answer = ['203.0.113.9', address];
      expect(await subscriptionRefusal(guard, 'https://hooks.example.test/in'), address).toMatch(
        new RegExp(`^refused: ${address.replace(/\./g, '\\.')} is a loopback`),
      );
    }
    // A public address is fine; a name that does not resolve (yet) is checked again at delivery.
    answer = ['203.0.113.9'];
    expect(await subscriptionRefusal(guard, 'https://hooks.example.test/in')).toBeUndefined();
    expect(await subscriptionRefusal(guard, 'https://nowhere.example.test/in')).toBeUndefined();
    // A name that takes too long is not waited for.
    const slow = new DestinationGuard([], () => new Promise(() => undefined));
    expect(await subscriptionRefusal(slow, 'https://slow.example.test/', 50)).toBeUndefined();
    // An allowed network may be subscribed to.
    answer = ['127.0.0.1'];
    const allowing = new DestinationGuard(['127.0.0.0/8'], resolver);
    expect(await subscriptionRefusal(allowing, 'https://hooks.example.test/in')).toBeUndefined();
  });
});
