import type { Duplex } from 'node:stream';
import type { RejectReason } from '../core/metrics.js';

export interface ConnectionLimits {
  /** Largest packet an authenticated client may announce. */
  maxPacketBytes: number;
  /** Largest packet a client may announce before it authenticated: its CONNECT. */
  maxConnectBytes: number;
  maxConnectionsPerAddress: number;
  /** Failed logins from one address within FAILURE_WINDOW_MS before it is refused a while. */
  maxAuthFailuresPerAddress: number;
}

/** Failed logins are counted over this window. */
const FAILURE_WINDOW_MS = 60_000;
/** First refusal after too many failures; doubles while failures go on, up to the cap. */
const BAN_MS = 30_000;
const MAX_BAN_MS = 15 * 60_000;

interface Failures {
  count: number;
  since: number;
  bannedUntil: number;
  /** Bans in a row: each doubles the next. Forgotten once a ban ends quietly. */
  strikes: number;
}

type Refuse = (reason: RejectReason, detail: Record<string, unknown>, message: string) => void;

/**
 * What the embedded broker lets a socket do before aedes reads it. aedes 1.x has no bound on
 * the size of a packet (its parser, mqtt-packet, buffers whatever remaining length the fixed
 * header announces, before and after CONNECT), none on connections per address, and none on
 * failed logins, each of which costs an argon2 hash. So the guard reads the fixed header of
 * every packet as it passes ([MQTT-2.2.3]: type byte, then the remaining length in 1-4 bytes)
 * and closes the connection as soon as one announces more than its bound: 16 KiB before the
 * client authenticated, 2 MiB after (a results payload is at most 1 MiB). It also counts open
 * connections and failed logins per client address and refuses an address that keeps failing,
 * for 30 s at first and twice as long each time after, up to 15 minutes.
 */
export class ConnectionGuard {
  readonly #open = new Map<string, number>();
  readonly #failures = new Map<string, Failures>();
  readonly #authenticated = new WeakSet<Duplex>();
  readonly #addresses = new WeakMap<Duplex, string>();

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly refuse: Refuse,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes a new connection from `address`, or closes it and returns false. Call before aedes
   * sees the stream; then `meter` once aedes reads it.
   */
  admit(stream: Duplex, address: string): boolean {
    if (this.banned(address)) {
      this.refuse('auth_throttled', { address }, 'MQTT connection refused: too many failed logins');
      stream.destroy();
      return false;
    }
    const open = this.#open.get(address) ?? 0;
    if (open >= this.limits.maxConnectionsPerAddress) {
      this.refuse('too_many_connections', { address, open }, 'MQTT connection refused');
      stream.destroy();
      return false;
    }
    this.#open.set(address, open + 1);
    stream.once('close', () => {
      const left = (this.#open.get(address) ?? 1) - 1;
      if (left > 0) this.#open.set(address, left);
      else this.#open.delete(address);
    });
    return true;
  }

  /**
   * Watches the packets `stream` carries and closes it at the first one announced larger than
   * allowed. Attached after aedes: aedes reads with 'readable', so 'data' fires for each chunk
   * it reads, before its parser gets the chunk, and does not change the flow.
   */
  meter(stream: Duplex, address: string): void {
    this.#addresses.set(stream, address);
    let state: 'type' | 'length' = 'type';
    let length = 0;
    let multiplier = 1;
    let lengthBytes = 0;
    let skip = 0;
    const tooLarge = (announced: number | undefined) => {
      const authenticated = this.#authenticated.has(stream);
      this.refuse(
        'packet_too_large',
        { address, announced: announced ?? 'over 256 MiB', authenticated },
        'MQTT packet too large; connection closed',
      );
      stream.destroy();
    };
    const onData = (chunk: Buffer) => {
      let i = 0;
      while (i < chunk.length) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - i);
          skip -= n;
          i += n;
          continue;
        }
        const byte = chunk[i++]!;
        if (state === 'type') {
          state = 'length';
          length = 0;
          multiplier = 1;
          lengthBytes = 0;
          continue;
        }
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        lengthBytes++;
        if (byte & 0x80) {
          // [MQTT-2.2.3]: at most four bytes of remaining length.
          if (lengthBytes === 4) return void (stream.off('data', onData), tooLarge(undefined));
          continue;
        }
        const bound = this.#authenticated.has(stream)
          ? this.limits.maxPacketBytes
          : this.limits.maxConnectBytes;
        if (length > bound) return void (stream.off('data', onData), tooLarge(length));
        skip = length;
        state = 'type';
      }
    };
    stream.on('data', onData);
  }

  /** The client on `stream` logged in: its packets may now be as large as any agent's. */
  authenticated(stream: Duplex): void {
    this.#authenticated.add(stream);
  }

  /** True while `address` is refused for failed logins. */
  banned(address: string): boolean {
    return (this.#failures.get(address)?.bannedUntil ?? 0) > this.now();
  }

  /** The client address a metered stream came from. */
  addressOf(stream: Duplex): string | undefined {
    return this.#addresses.get(stream);
  }

  /** Counts a failed login from `address`; too many within the window start a ban. */
  failed(address: string): void {
    const now = this.now();
    if (this.#failures.size > 10_000) this.forget(now);
    const f = this.#failures.get(address) ?? { count: 0, since: now, bannedUntil: 0, strikes: 0 };
    if (now - f.since > FAILURE_WINDOW_MS) {
      f.count = 0;
      f.since = now;
      // A whole window without a ban: the next one starts short again.
      if (now - f.bannedUntil > FAILURE_WINDOW_MS) f.strikes = 0;
    }
    f.count++;
    if (f.count >= this.limits.maxAuthFailuresPerAddress) {
      f.bannedUntil = now + Math.min(BAN_MS * 2 ** f.strikes, MAX_BAN_MS);
      f.strikes++;
      f.count = 0;
      f.since = now;
    }
    this.#failures.set(address, f);
  }

  /** Drops addresses with neither a ban nor a failure in the last window. */
  private forget(now: number): void {
    for (const [address, f] of this.#failures) {
      if (now - f.since > FAILURE_WINDOW_MS && now - f.bannedUntil > FAILURE_WINDOW_MS)
        this.#failures.delete(address);
    }
  }
}
