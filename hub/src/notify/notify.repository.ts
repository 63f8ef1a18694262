import type { Database } from '../db/database.js';
import type { OutboundMessage } from './channel.js';

export interface Subscription {
  id: string;
  tenantId: string | null;
  channel: string;
  address: string;
  secret: string | null;
  format: 'json' | 'slack' | 'teams';
  language: string;
  events: string[];
  enabled: boolean;
}

export interface Preferences {
  userId: string;
  language: string;
  email: string | null;
  telegramChatId: string | null;
  telegramUserId: string | null;
  channels: string[];
  events: string[];
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
}

export interface Delivery {
  id: string;
  tenantId: string | null;
  channel: string;
  address: string;
  /** The tenant subscription it was sent for; null for a user's own channel. */
  subscriptionId: string | null;
  eventType: string;
  message: OutboundMessage;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** A delivery's file as the log lists it: no content. */
export interface AttachmentInfo {
  filename: string;
  contentType: string;
  bytes: number;
}
type OutboundAttachment = NonNullable<OutboundMessage['attachments']>[number];

const LOG_COLUMNS = [
  'id',
  'tenant_id',
  'channel',
  'address',
  'subscription_id',
  'event_type',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'created_at',
  'sent_at',
];

export interface DeliveryCounts {
  channel: string;
  pending: number;
  retrying: number;
  sent: number;
  dead: number;
  /** When the oldest delivery not sent yet (pending or retrying) was queued. */
  oldestWaitingAt: Date | null;
}

export interface NewDelivery {
  tenantId: string | null;
  channel: string;
  address: string;
  subscriptionId?: string | null;
  userId?: string | null;
  eventType: string;
  dedupeKey: string;
  message: OutboundMessage;
  notBefore?: Date;
}

const SUB = 'notify_subscriptions';
const PREF = 'notify_preferences';
const OUTBOX = 'notify_outbox';

const subscription = (r: Record<string, unknown>): Subscription => ({
  id: r.id as string,
  tenantId: r.tenant_id as string | null,
  channel: r.channel as string,
  address: r.address as string,
  secret: r.secret as string | null,
  format: r.format as Subscription['format'],
  language: r.language as string,
  events: r.events as string[],
  enabled: r.enabled as boolean,
});

const preferences = (r: Record<string, unknown>): Preferences => ({
  userId: r.user_id as string,
  language: r.language as string,
  email: r.email as string | null,
  telegramChatId: r.telegram_chat_id as string | null,
  telegramUserId: r.telegram_user_id === null ? null : String(r.telegram_user_id),
  channels: r.channels as string[],
  events: r.events as string[],
  quietStart: r.quiet_start as string | null,
  quietEnd: r.quiet_end as string | null,
  timeZone: r.time_zone as string,
});

const delivery = (r: Record<string, unknown>): Delivery => ({
  id: String(r.id),
  tenantId: r.tenant_id as string | null,
  channel: r.channel as string,
  address: r.address as string,
  subscriptionId: (r.subscription_id as string | null) ?? null,
  eventType: r.event_type as string,
  message: r.message as OutboundMessage,
  status: r.status as Delivery['status'],
  attempts: r.attempts as number,
  nextAttemptAt: r.next_attempt_at as Date,
  lastError: r.last_error as string | null,
  createdAt: r.created_at as Date,
  sentAt: r.sent_at as Date | null,
});

/** Subscriptions, preferences and the outbox (the only notify code touching knex). */
export class NotifyRepository {
  constructor(private readonly db: Database) {}

  async subscriptionsFor(tenantId: string, event: string): Promise<Subscription[]> {
    const rows = await this.db(SUB)
      .where({ enabled: true })
      .andWhere((q) => q.where({ tenant_id: tenantId }).orWhereNull('tenant_id'))
      .andWhereRaw('? = ANY(events)', [event]);
    return rows.map(subscription);
  }

  async listSubscriptions(tenantId: string | null): Promise<Subscription[]> {
    const q = this.db(SUB).orderBy('created_at');
    if (tenantId) q.where({ tenant_id: tenantId });
    return (await q).map(subscription);
  }

  async createSubscription(s: Omit<Subscription, 'id' | 'enabled'>): Promise<Subscription> {
    const [row] = await this.db(SUB)
      .insert({
        tenant_id: s.tenantId,
        channel: s.channel,
        address: s.address,
        secret: s.secret,
        format: s.format,
        language: s.language,
        events: s.events,
      })
      .returning('*');
    return subscription(row);
  }

  /** One subscription, of this tenant only (null: any, for a global admin). */
  async subscription(id: string, tenantId: string | null): Promise<Subscription | undefined> {
    const q = this.db(SUB).where({ id });
    if (tenantId) q.andWhere({ tenant_id: tenantId });
    const row = await q.first();
    return row ? subscription(row) : undefined;
  }

  async removeSubscription(id: string, tenantId: string | null): Promise<number> {
    const q = this.db(SUB).where({ id });
    if (tenantId) q.andWhere({ tenant_id: tenantId });
    return q.delete();
  }

  /** The preferences of these users; a disabled user is told nothing (none of theirs). */
  async preferences(userIds: string[]): Promise<Preferences[]> {
    if (!userIds.length) return [];
    const rows = await this.db(PREF)
      .join('users', 'users.id', `${PREF}.user_id`)
      .whereIn(`${PREF}.user_id`, userIds)
      .whereNull('users.disabled_at')
      .select(`${PREF}.*`);
    return rows.map(preferences);
  }

  /** Users of a tenant (and tenant-less admins) who asked for a tenant-wide event. */
  async preferencesFor(tenantId: string, event: string): Promise<Preferences[]> {
    const rows = await this.db(PREF)
      .join('users', 'users.id', `${PREF}.user_id`)
      .where((q) => q.where('users.tenant_id', tenantId).orWhereNull('users.tenant_id'))
      .andWhereRaw('? = ANY(notify_preferences.events)', [event])
      .whereNull('users.disabled_at')
      .select(`${PREF}.*`);
    return rows.map(preferences);
  }

  /** The hub user a Telegram account is linked to, and their notification language. */
  async byTelegramUser(telegramUserId: string) {
    const row = await this.db(PREF)
      .join('users', 'users.id', `${PREF}.user_id`)
      .where(`${PREF}.telegram_user_id`, telegramUserId)
      // A disabled account acts through no channel (migration 010: users.disabled_at).
      .whereNull('users.disabled_at')
      .first('users.id', 'users.username', 'users.role', 'users.tenant_id', `${PREF}.language`);
    return row
      ? {
          user: {
            id: row.id as string,
            username: row.username as string,
            role: row.role,
            tenantId: row.tenant_id as string | null,
          },
          language: row.language as string,
        }
      : undefined;
  }

  /**
   * Saves what a person may type. The Telegram account is not among it: it is set only by
   * proof, through `redeemTelegramLink`.
   */
  async savePreferences(p: Omit<Preferences, 'telegramChatId' | 'telegramUserId'>) {
    const row = {
      user_id: p.userId,
      language: p.language,
      email: p.email,
      channels: p.channels,
      events: p.events,
      quiet_start: p.quietStart,
      quiet_end: p.quietEnd,
      time_zone: p.timeZone,
    };
    const [saved] = await this.db(PREF).insert(row).onConflict('user_id').merge().returning('*');
    return preferences(saved);
  }

  /** A new one-time code for the user, replacing any earlier one (only its hash is kept). */
  async createTelegramLinkCode(userId: string, codeHash: string, expiresAt: Date) {
    await this.db('telegram_link_codes').where({ user_id: userId }).delete();
    await this.db('telegram_link_codes').insert({
      code_hash: codeHash,
      user_id: userId,
      expires_at: expiresAt,
    });
  }

  /**
   * Uses up a live code: links the Telegram account (user id and private chat) to the code's
   * hub user, taking it from any other hub user it was linked to; returns that user and their
   * notification language. Undefined when the code is unknown, expired or already used, or its
   * user is disabled.
   */
  async redeemTelegramLink(codeHash: string, telegramUserId: string, chatId: string, now: Date) {
    return this.db.transaction(async (trx) => {
      const [code] = await trx('telegram_link_codes')
        .where({ code_hash: codeHash })
        .delete()
        .returning(['user_id', 'expires_at']);
      if (!code || (code.expires_at as Date) <= now) return undefined;
      const user = await trx('users')
        .where({ id: code.user_id })
        .whereNull('disabled_at')
        .first('id', 'username', 'tenant_id');
      if (!user) return undefined;
      await trx(PREF)
        .where({ telegram_user_id: telegramUserId })
        .whereNot({ user_id: user.id })
        .update({
          telegram_user_id: null,
          telegram_chat_id: null,
          telegram_linked_at: null,
          channels: trx.raw(`array_remove(channels, 'telegram')`),
        });
      const link = {
        telegram_user_id: telegramUserId,
        telegram_chat_id: chatId,
        telegram_linked_at: now,
      };
      const [prefs] = await trx(PREF)
        .insert({ user_id: user.id, ...link })
        .onConflict('user_id')
        .merge(link)
        .returning('language');
      return {
        userId: user.id as string,
        username: user.username as string,
        tenantId: user.tenant_id as string | null,
        language: prefs.language as string,
      };
    });
  }

  /** Forgets the user's Telegram account; true when one was linked. */
  async unlinkTelegram(userId: string): Promise<boolean> {
    const n = await this.db(PREF)
      .where({ user_id: userId })
      .whereNotNull('telegram_user_id')
      .update({
        telegram_user_id: null,
        telegram_chat_id: null,
        telegram_linked_at: null,
        channels: this.db.raw(`array_remove(channels, 'telegram')`),
      });
    return n > 0;
  }

  /** Inserts once per dedupe key; false when it was already there. */
  async enqueue(d: NewDelivery): Promise<boolean> {
    const rows = await this.db(OUTBOX)
      .insert({
        tenant_id: d.tenantId,
        channel: d.channel,
        address: d.address,
        subscription_id: d.subscriptionId ?? null,
        user_id: d.userId ?? null,
        event_type: d.eventType,
        dedupe_key: d.dedupeKey,
        message: JSON.stringify(d.message),
        next_attempt_at: d.notBefore ?? this.db.fn.now(),
      })
      .onConflict('dedupe_key')
      .ignore()
      .returning('id');
    return rows.length > 0;
  }

  /** Whether every one of these dedupe keys is in the outbox already. */
  async allQueued(dedupeKeys: string[]): Promise<boolean> {
    if (!dedupeKeys.length) return true;
    const [row] = await this.db(OUTBOX).whereIn('dedupe_key', dedupeKeys).count({ n: '*' });
    return Number(row?.n ?? 0) === new Set(dedupeKeys).size;
  }

  /**
   * Leases due deliveries: moves their next attempt `leaseMs` ahead so that another hub process
   * (or this one after a crash) takes them only if this one never reports back.
   */
  async claimDue(limit: number, leaseMs: number): Promise<Delivery[]> {
    const rows = await this.db.raw(
      `UPDATE ${OUTBOX} SET next_attempt_at = now() + (? || ' milliseconds')::interval
       WHERE id IN (SELECT id FROM ${OUTBOX} WHERE status = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [String(leaseMs), limit],
    );
    return (rows.rows as Record<string, unknown>[]).map(delivery);
  }

  async nextDueAt(): Promise<Date | undefined> {
    const row = await this.db(OUTBOX).where({ status: 'pending' }).min('next_attempt_at as at');
    return (row[0]?.at as Date | null) ?? undefined;
  }

  async markSent(id: string): Promise<void> {
    await this.db(OUTBOX)
      .where({ id })
      .update({ status: 'sent', sent_at: this.db.fn.now(), attempts: this.db.raw('attempts + 1') });
  }

  async markFailed(id: string, error: string, next: Date | null): Promise<void> {
    await this.db(OUTBOX)
      .where({ id })
      .update({
        status: next ? 'pending' : 'dead',
        attempts: this.db.raw('attempts + 1'),
        last_error: error.slice(0, 1000),
        next_attempt_at: next ?? this.db.fn.now(),
      });
  }

  /**
   * The delivery log. A scheduled report's mail carries its files as base64 in the message: the
   * log gives their names, types and sizes only (a list of many would be megabytes); one file is
   * read with `attachment`.
   */
  async log(filter: { tenantId: string | null; status?: string; channel?: string; limit: number }) {
    const q = this.db(OUTBOX)
      .select(
        ...LOG_COLUMNS,
        this.db.raw(`message - 'attachments' AS message`),
        this.db.raw(
          `(SELECT jsonb_agg(jsonb_build_object('filename', a->>'filename',
                     'contentType', a->>'contentType',
                     'bytes', floor(length(a->>'base64') * 3 / 4)::int
                       - (CASE WHEN a->>'base64' LIKE '%==' THEN 2
                               WHEN a->>'base64' LIKE '%=' THEN 1 ELSE 0 END)))
              FROM jsonb_array_elements(message->'attachments') a) AS attachments`,
        ),
      )
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.tenantId) q.where({ tenant_id: filter.tenantId });
    // `retrying`: pending deliveries that failed at least once (what the UI shows as failing).
    if (filter.status === 'retrying') q.where({ status: 'pending' }).andWhere('attempts', '>', 0);
    else if (filter.status) q.where({ status: filter.status });
    if (filter.channel) q.where({ channel: filter.channel });
    return (await q).map((r: Record<string, unknown>) => ({
      ...delivery(r),
      attachments: (r.attachments as AttachmentInfo[] | null) ?? [],
    }));
  }

  /** One file of a delivery's message (the tenant's own, or any for a global user). */
  async attachment(id: string, index: number, tenantId: string | null) {
    const q = this.db(OUTBOX)
      .where({ id })
      .first(this.db.raw(`message->'attachments'->(?::int) AS file`, [index]));
    if (tenantId) q.where({ tenant_id: tenantId });
    const row = (await q) as { file: OutboundAttachment | null } | undefined;
    return row?.file ?? undefined;
  }

  /**
   * The latest occurrence of each of a scheduled report's deliveries (keys
   * `report:<schedule>:<occurrence>:<address>`): when, and how each recipient's mail went.
   */
  async lastReportDeliveries(scheduleIds: string[]) {
    if (scheduleIds.length === 0) return [];
    const rows = await this.db.raw(
      `SELECT DISTINCT ON (schedule, address) split_part(dedupe_key, ':', 2) AS schedule,
              address, status, attempts, last_error, created_at, sent_at
         FROM ${OUTBOX}
        WHERE event_type = 'report.scheduled' AND split_part(dedupe_key, ':', 2) = ANY(?)
        ORDER BY schedule, address, created_at DESC, id DESC`,
      [scheduleIds],
    );
    return (rows.rows as Record<string, unknown>[]).map((r) => ({
      scheduleId: r.schedule as string,
      address: r.address as string,
      status: r.status as Delivery['status'],
      attempts: r.attempts as number,
      lastError: (r.last_error as string | null) ?? null,
      createdAt: r.created_at as Date,
      sentAt: (r.sent_at as Date | null) ?? null,
    }));
  }

  /**
   * Deliveries per channel and status; `retrying` are the pending ones that failed at least
   * once (what the UI shows as failing), `dead` the dead letters.
   */
  async counts(tenantId: string | null): Promise<DeliveryCounts[]> {
    const q = this.db(OUTBOX)
      .groupBy('channel')
      .orderBy('channel')
      .select(
        'channel',
        this.db.raw(`count(*) FILTER (WHERE status = 'pending' AND attempts = 0)::int AS pending`),
        this.db.raw(`count(*) FILTER (WHERE status = 'pending' AND attempts > 0)::int AS retrying`),
        this.db.raw(`count(*) FILTER (WHERE status = 'sent')::int AS sent`),
        this.db.raw(`count(*) FILTER (WHERE status = 'dead')::int AS dead`),
        this.db.raw(`min(created_at) FILTER (WHERE status = 'pending') AS "oldestWaitingAt"`),
      );
    if (tenantId) q.where({ tenant_id: tenantId });
    return (await q) as DeliveryCounts[];
  }

  /** Users (with their tenant) whose preferences list `event` explicitly (the daily digest). */
  async subscribedUsers(event: string): Promise<(Preferences & { tenantId: string | null })[]> {
    const rows = await this.db(PREF)
      .join('users', 'users.id', `${PREF}.user_id`)
      .whereRaw('? = ANY(notify_preferences.events)', [event])
      .whereNull('users.disabled_at')
      .orderBy('users.username')
      .select(`${PREF}.*`, 'users.tenant_id as user_tenant_id');
    return rows.map((r: Record<string, unknown>) => ({
      ...preferences(r),
      tenantId: (r.user_tenant_id as string | null) ?? null,
    }));
  }

  /** Resend: the delivery goes back to pending with a fresh attempt count. */
  async resend(id: string, tenantId: string | null): Promise<boolean> {
    const q = this.db(OUTBOX).where({ id });
    if (tenantId) q.andWhere({ tenant_id: tenantId });
    const n = await q.update({
      status: 'pending',
      attempts: 0,
      next_attempt_at: this.db.fn.now(),
      last_error: null,
    });
    return n > 0;
  }
}
