import dns from 'node:dns';
import net from 'node:net';
import { parseProxyEntry } from '../../config/server.js';

/** Resolves a host name to every address it has (dns.lookup with `all`). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true });

// Where a webhook may not go unless an admin allows it: this host and its neighbours, which a
// tenant could otherwise reach, or map port by port from the delivery log (RFC 6890 special
// purpose blocks: loopback, private, shared, link-local with cloud metadata, multicast …).
const FORBIDDEN_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const FORBIDDEN_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
];

/**
 * Refuses webhook destinations on loopback, link-local and private networks unless listed in
 * BW_WEBHOOK_ALLOWED_NETWORKS. The check is made on the addresses the name resolves to, and
 * the connection goes to the address checked (`lookup`), so a name that resolves to a public
 * address when the subscription is made and to a private one later is refused too.
 */
export class DestinationGuard {
  readonly #forbidden = new net.BlockList();
  readonly #allowed = new net.BlockList();

  constructor(
    allowed: readonly string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    for (const [address, prefix] of FORBIDDEN_V4)
      this.#forbidden.addSubnet(address, prefix, 'ipv4');
    for (const [address, prefix] of FORBIDDEN_V6)
      this.#forbidden.addSubnet(address, prefix, 'ipv6');
    for (const entry of allowed) {
      const parsed = parseProxyEntry(entry);
      if (!parsed) throw new Error(`${entry}: not an IP address or CIDR block`);
      if (parsed.prefix === undefined) this.#allowed.addAddress(parsed.address, parsed.family);
      else this.#allowed.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** Why `address` (an IP) is refused; undefined when a webhook may go there. */
  refusal(address: string): string | undefined {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const plain = mapped ? mapped[1]! : address;
    const family = net.isIPv4(plain) ? 'ipv4' : 'ipv6';
    if (!this.#forbidden.check(plain, family) || this.#allowed.check(plain, family))
      return undefined;
    return `refused: ${plain} is a loopback, link-local or private address (an admin may allow it with BW_WEBHOOK_ALLOWED_NETWORKS)`;
  }

  /**
   * The address to connect to for `host`: the host itself when it is an IP, else the first
   * address it resolves to; throws DestinationRefused when any of them is refused.
   */
  async addressOf(host: string): Promise<{ address: string; family: number }> {
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    const found = net.isIP(bare)
      ? [{ address: bare, family: net.isIP(bare) }]
      : await this.resolve(bare);
    if (found.length === 0) throw new Error(`${host}: no address`);
    for (const { address } of found) {
      const why = this.refusal(address);
      if (why) throw new DestinationRefused(why);
    }
    return found[0]!;
  }
}

/** A destination the guard refused: a permanent failure, never retried. */
export class DestinationRefused extends Error {}

/**
 * Why a webhook URL may not be subscribed to, checked when the subscription is made: the same
 * rule as at delivery, on the address written in the URL or every address its name resolves
 * to now. A name that does not resolve (yet), or not within `timeoutMs`, is accepted: each
 * delivery checks again.
 */
export async function subscriptionRefusal(
  guard: DestinationGuard,
  url: string,
  timeoutMs = 3000,
): Promise<string | undefined> {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined; // The schema refuses what is not a URL.
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    await Promise.race([guard.addressOf(host), late]);
    return undefined;
  } catch (err) {
    return err instanceof DestinationRefused ? err.message : undefined;
  } finally {
    clearTimeout(timer);
  }
}
