import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Logger } from '../log.js';
import type { BinaryStore } from './binary-store.js';
import { verifyRelease } from './signature.js';

/** What the hub says this agent should run (GET /api/v1/agent-updates/check). */
export interface UpdateTarget {
  version: string;
  platform: string;
  sha256: string;
  signature: string;
  size: number;
  /** Path on the hub to download the binary from. */
  download: string;
}

export type UpdateState = 'installing' | 'applied' | 'refused' | 'rolled-back' | 'failed';

export interface UpdaterOptions {
  /** The hub's HTTP base URL, e.g. https://hub.example.com */
  hubUrl: string;
  username: string;
  password: string;
  /** The pinned release key (base64 SPKI DER); without one no update is ever installed. */
  publicKey: string | undefined;
  store: BinaryStore;
  currentVersion: string;
  platform: string;
  log: Logger;
}

export type CheckOutcome =
  | { kind: 'current' }
  | { kind: 'skipped'; version: string; reason: string }
  | { kind: 'refused'; version: string; reason: string }
  | { kind: 'installed'; version: string };

/**
 * Asks the hub which version this agent should run; when it differs, downloads it next to the
 * running binary, checks the SHA-256 and the ed25519 signature with the pinned key, and swaps
 * it in (BinaryStore.install). The caller then exits so that the service manager restarts it.
 * The hub only serves files: it can hold no key that makes an agent run something.
 */
export class Updater {
  constructor(private readonly o: UpdaterOptions) {}

  async check(): Promise<CheckOutcome> {
    const { target } = await this.#request<{ target: UpdateTarget | null }>(
      `/api/v1/agent-updates/check?platform=${encodeURIComponent(this.o.platform)}&version=${encodeURIComponent(this.o.currentVersion)}`,
    );
    if (!target || target.version === this.o.currentVersion) return { kind: 'current' };
    const failed = await this.o.store.failed();
    if (failed?.version === target.version) {
      return { kind: 'skipped', version: target.version, reason: 'rolled back before' };
    }
    if (!this.o.publicKey) {
      return this.#refuse(target, 'no release key is pinned in this agent: updates are off');
    }
    const sha256 = await this.#download(target);
    if (sha256 !== target.sha256) {
      return this.#refuse(
        target,
        `the download's SHA-256 ${sha256} is not the release's ${target.sha256}`,
      );
    }
    const release = { version: target.version, platform: target.platform, sha256 };
    if (
      target.platform !== this.o.platform ||
      !verifyRelease(release, target.signature, this.o.publicKey)
    ) {
      return this.#refuse(target, 'the signature does not verify with the pinned release key');
    }
    await this.o.store.install(this.o.currentVersion, target.version);
    this.o.log.info('update installed; restarting into it', {
      from: this.o.currentVersion,
      to: target.version,
    });
    await this.report(target.version, 'installing');
    return { kind: 'installed', version: target.version };
  }

  /** Tells the hub how an update went; a hub that cannot be told is only logged. */
  async report(version: string, state: UpdateState, detail?: string): Promise<void> {
    try {
      await this.#request('/api/v1/agent-updates/report', {
        version,
        state,
        ...(detail ? { detail } : {}),
      });
    } catch (err) {
      this.o.log.warn('could not report the update state to the hub', {
        version,
        state,
        err: (err as Error).message,
      });
    }
  }

  async #refuse(target: UpdateTarget, reason: string): Promise<CheckOutcome> {
    await rm(this.o.store.next, { force: true });
    this.o.log.error('update refused', { version: target.version, reason });
    await this.report(target.version, 'refused', reason);
    return { kind: 'refused', version: target.version, reason };
  }

  /** Streams the binary to `next`, hashing on the way; returns its hex SHA-256. */
  async #download(target: UpdateTarget): Promise<string> {
    const res = await fetch(new URL(target.download, this.o.hubUrl), { headers: this.#auth() });
    if (!res.ok || !res.body)
      throw new Error(`download of ${target.version} failed: HTTP ${res.status}`);
    const hash = createHash('sha256');
    const body = Readable.fromWeb(res.body as WebReadableStream);
    body.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(body, createWriteStream(this.o.store.next, { mode: 0o700 }));
    return hash.digest('hex');
  }

  async #request<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.o.hubUrl), {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...this.#auth(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  #auth() {
    const basic = Buffer.from(`${this.o.username}:${this.o.password}`).toString('base64');
    return { authorization: `Basic ${basic}` };
  }
}
