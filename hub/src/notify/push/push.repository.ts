import type { Database } from '../../db/database.js';

/** A browser's push subscription (the Push API's `PushSubscription`, RFC 8030 §4). */
export interface PushSubscriptionRow {
  id: string;
  tenantId: string | null;
  userId: string;
  endpoint: string;
  /** The browser's P-256 public key and auth secret, base64url (RFC 8291 §3). */
  p256dh: string;
  auth: string;
  createdAt: Date;
}

const row = (r: Record<string, unknown>): PushSubscriptionRow => ({
  id: r.id as string,
  tenantId: (r.tenant_id as string | null) ?? null,
  userId: r.user_id as string,
  endpoint: r.endpoint as string,
  p256dh: r.p256dh as string,
  auth: r.auth as string,
  createdAt: r.created_at as Date,
});

/**
 * Push subscriptions and the hub's VAPID key pair (the only push code touching knex). Through
 * the request's scope for a person's own subscriptions (row-level security keeps a tenant's rows
 * to it, every query here keeps a person's to them); through the pool for delivery.
 */
export class PushRepository {
  constructor(private readonly db: Database) {}

  async list(userId: string): Promise<PushSubscriptionRow[]> {
    const rows = await this.db('push_subscriptions')
      .where({ user_id: userId })
      .orderBy('created_at');
    return rows.map(row);
  }

  /**
   * Stores the browser's subscription for this person. The same endpoint again (the browser
   * renewed its keys, or another person signed in on it) takes the new keys and owner: an
   * endpoint is one browser, whose messages go to whoever subscribed on it last.
   */
  async save(
    user: { id: string; tenantId: string | null },
    s: { endpoint: string; p256dh: string; auth: string },
  ): Promise<PushSubscriptionRow> {
    const [saved] = await this.db('push_subscriptions')
      .insert({ tenant_id: user.tenantId, user_id: user.id, ...s })
      .onConflict('endpoint')
      .merge(['tenant_id', 'user_id', 'p256dh', 'auth'])
      .returning('*');
    return row(saved as Record<string, unknown>);
  }

  /** Removes one of the person's subscriptions; false when it is not theirs. */
  async remove(userId: string, id: string): Promise<boolean> {
    return (await this.db('push_subscriptions').where({ id, user_id: userId }).delete()) > 0;
  }

  /** The subscriptions of these people (delivery, through the pool). */
  async ofUser(userId: string): Promise<PushSubscriptionRow[]> {
    return this.list(userId);
  }

  async byId(id: string): Promise<PushSubscriptionRow | undefined> {
    const r = await this.db('push_subscriptions').where({ id }).first();
    return r ? row(r as Record<string, unknown>) : undefined;
  }

  /** The push service said the subscription is gone (404/410): it is forgotten. */
  async forget(id: string): Promise<void> {
    await this.db('push_subscriptions').where({ id }).delete();
  }

  async vapidKeys(): Promise<{ publicKey: string; privateKeySealed: string } | undefined> {
    const r = await this.db('push_vapid_keys').where({ id: 1 }).first();
    return r
      ? { publicKey: r.public_key as string, privateKeySealed: r.private_key_sealed as string }
      : undefined;
  }

  /** Stores a key pair unless one is there already (another hub process made it first). */
  async keepVapidKeys(publicKey: string, privateKeySealed: string): Promise<void> {
    await this.db('push_vapid_keys')
      .insert({ id: 1, public_key: publicKey, private_key_sealed: privateKeySealed })
      .onConflict('id')
      .ignore();
  }
}
