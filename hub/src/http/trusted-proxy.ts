import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import { parseProxyEntry } from '../config/server.js';

/**
 * Which peers may tell the hub who the client is (X-Forwarded-For, -Proto, -Host): the reverse
 * proxies an admin lists in BW_TRUSTED_PROXIES (addresses or CIDR blocks). Anyone else could
 * write any address there, to dodge per-address limits and forge the audit log
 * (docs/security.md, "Trusted proxies").
 */
export class TrustedProxies {
  readonly #list = new net.BlockList();
  readonly #empty: boolean;

  /** `entries`: addresses (`10.0.0.5`, `::1`) and CIDR blocks (`10.0.0.0/8`, `fd00::/8`). */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const parsed = parseProxyEntry(entry);
      if (!parsed) throw new Error(`${entry}: not an IP address or CIDR block`);
      if (parsed.prefix === undefined) this.#list.addAddress(parsed.address, parsed.family);
      else this.#list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
    this.#empty = entries.length === 0;
  }

  trusts(address: string | undefined): boolean {
    if (this.#empty || !address) return false;
    const plain = unmapped(address);
    const family = net.isIPv6(plain) ? 'ipv6' : net.isIPv4(plain) ? 'ipv4' : undefined;
    return family !== undefined && this.#list.check(plain, family);
  }

  /**
   * The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
   * address in X-Forwarded-For that is not a trusted proxy, read from the right (each proxy
   * appends the address it heard from; anything to the left of the first untrusted entry may
   * be made up by the client).
   */
  clientOf(req: IncomingMessage): string {
    const peer = unmapped(req.socket.remoteAddress ?? '');
    if (!this.trusts(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => unmapped(hop.trim()))
      .filter((hop) => hop !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (net.isIP(hop) === 0) return peer;
      if (!this.trusts(hop)) return hop;
    }
    return hops[0] ?? peer;
  }

  /**
   * Sets `ctx.ip` to the client's address; from a peer that is not a trusted proxy, drops the
   * X-Forwarded-* headers so that Koa's protocol and host (app.proxy) are the connection's own.
   */
  middleware(): Middleware {
    return (ctx, next) => {
      if (!this.trusts(ctx.req.socket.remoteAddress)) {
        for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'])
          delete ctx.req.headers[name];
      }
      ctx.request.ip = this.clientOf(ctx.req);
      return next();
    };
  }
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) as `127.0.0.1`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}
