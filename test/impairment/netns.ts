import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `ip ARGS…` and returns its stdout; throws with ip's own message on failure. */
export async function ip(...args: string[]): Promise<string> {
  return (await run('ip', args, { timeout: 10_000 })).stdout;
}

/**
 * Two network namespaces, client and server, each with one persistent TUN device and no other
 * way between them: packets cross only while a relay (relay.ts) holds both TUNs. Names are
 * `bw-acc-<random>-c` and `…-s`; `remove()` deletes both (and with them the TUNs).
 *
 *   client ns: tun `bwr` 10.89.0.1 peer 10.89.0.2   ⇄ relay ⇄   server ns: tun `bwr` 10.89.0.2
 *
 * The addresses exist only inside these namespaces. IPv6 is switched off on the TUNs so that no
 * router or listener solicitations cross the relay: every packet it sees is the test's.
 */
export interface RelayedPair {
  /** The random `bw-acc-…` prefix of both namespaces. */
  name: string;
  client: string;
  server: string;
  /** The TUN device name, the same in both namespaces. */
  tun: string;
  clientAddress: string;
  serverAddress: string;
  remove(): Promise<void>;
}

export async function createRelayedPair(): Promise<RelayedPair> {
  const name = `bw-acc-${randomBytes(3).toString('hex')}`;
  const pair: RelayedPair = {
    name,
    client: `${name}-c`,
    server: `${name}-s`,
    tun: 'bwr',
    clientAddress: '10.89.0.1',
    serverAddress: '10.89.0.2',
    remove: () => removeNamespaces([pair.client, pair.server]),
  };
  try {
    for (const [ns, local, peer] of [
      [pair.client, pair.clientAddress, pair.serverAddress],
      [pair.server, pair.serverAddress, pair.clientAddress],
    ] as const) {
      await ip('netns', 'add', ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'tuntap', 'add', 'dev', pair.tun, 'mode', 'tun');
      await ip('netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${pair.tun}.disable_ipv6=1`);
      await ip('-n', ns, 'addr', 'add', local, 'peer', peer, 'dev', pair.tun);
      await ip('-n', ns, 'link', 'set', pair.tun, 'up');
    }
  } catch (err) {
    await pair.remove();
    throw err;
  }
  return pair;
}

/** Deletes namespaces that exist; never throws, so that it is safe in afterAll. */
export async function removeNamespaces(names: readonly string[]): Promise<void> {
  for (const ns of names) {
    try {
      await ip('netns', 'del', ns);
    } catch {
      // Not created, or already gone.
    }
  }
}
