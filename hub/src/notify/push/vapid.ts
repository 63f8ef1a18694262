import webPush from 'web-push';
import type { SecretBox } from '../../identity/secret-box.js';
import type { PushRepository } from './push.repository.js';

/** The context a sealed VAPID private key is bound to (secret-box.ts, additional data). */
const SEALED_AS = 'push_vapid_keys.private_key_sealed';

export interface VapidKeys {
  /** The uncompressed P-256 point, base64url: the browser's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
}

/**
 * The hub's application server key pair (RFC 8292): made once for the whole hub on first use,
 * kept in the database with its private half sealed under the hub's secret key, so every hub
 * process signs with the same pair and the browsers' subscriptions stay valid across restarts.
 */
export class VapidKeyStore {
  #keys: Promise<VapidKeys> | undefined;

  constructor(
    private readonly repo: PushRepository,
    private readonly secrets: SecretBox,
  ) {}

  keys(): Promise<VapidKeys> {
    this.#keys ??= this.load().catch((err: unknown) => {
      this.#keys = undefined;
      throw err;
    });
    return this.#keys;
  }

  private async load(): Promise<VapidKeys> {
    let stored = await this.repo.vapidKeys();
    if (!stored) {
      const made = webPush.generateVAPIDKeys();
      await this.repo.keepVapidKeys(made.publicKey, this.secrets.seal(made.privateKey, SEALED_AS));
      stored = (await this.repo.vapidKeys())!;
    }
    return {
      publicKey: stored.publicKey,
      privateKey: this.secrets.open(stored.privateKeySealed, SEALED_AS),
    };
  }
}
