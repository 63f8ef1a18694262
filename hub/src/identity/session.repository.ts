import type { Database } from '../db/database.js';
import { Session } from './session.model.js';
import { User } from './user.model.js';

export interface SessionView {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date | null;
  ip: string | null;
  userAgent: string | null;
  tokenHash: string;
}

/** A session's or API token's last use is written at most this often. */
export const TOUCH_EVERY_MS = 60_000;

/**
 * Whether a last use written at `last` is to be written again at `now`: most requests then
 * skip the write, and its round trip for a connection of the API pool.
 */
export const touchDue = (last: Date | null, now: Date): boolean =>
  last === null || last.getTime() < now.getTime() - TOUCH_EVERY_MS;

export class SessionRepository {
  constructor(private readonly db: Database) {}

  async create(
    tokenHash: string,
    userId: string,
    expiresAt: Date,
    client: { ip?: string | null; userAgent?: string | null } = {},
    sso?: { providerId: string; logout: Record<string, unknown> | null },
  ): Promise<void> {
    await this.db('sessions').insert({
      identity_provider_id: sso?.providerId ?? null,
      sso_logout: sso?.logout ? JSON.stringify(sso.logout) : null,
      token_hash: tokenHash,
      user_id: userId,
      expires_at: expiresAt,
      last_seen_at: new Date(),
      ip: client.ip ?? null,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    });
  }

  /** The provider a session came through and what its logout needs; null for a password's. */
  async ssoOf(
    tokenHash: string,
  ): Promise<{ providerId: string; logout: Record<string, unknown> | null } | null> {
    const row = (await this.db('sessions')
      .where({ token_hash: tokenHash })
      .first('identity_provider_id', 'sso_logout')) as
      | { identity_provider_id: string | null; sso_logout: Record<string, unknown> | null }
      | undefined;
    return row?.identity_provider_id
      ? { providerId: row.identity_provider_id, logout: row.sso_logout }
      : null;
  }

  /**
   * The user of a session that exists and has not expired, and the session's last use, in one
   * query: every API request asks it, each query for a connection of the API pool.
   */
  async findValidUser(
    tokenHash: string,
    now: Date,
  ): Promise<{ user: User; lastSeenAt: Date | null } | undefined> {
    const user = (await User.query(this.db)
      .select('users.*', 's.last_seen_at as session_last_seen_at')
      .join('sessions as s', 's.user_id', 'users.id')
      .where('s.token_hash', tokenHash)
      .andWhere('s.expires_at', '>', now)
      .first()) as (User & { sessionLastSeenAt: Date | null }) | undefined;
    return user && { user, lastSeenAt: user.sessionLastSeenAt };
  }

  /** Marks use at most once a minute, so reading pages does not write on every request. */
  async touch(tokenHash: string, now: Date): Promise<void> {
    await this.db('sessions')
      .where({ token_hash: tokenHash })
      .andWhere((q) =>
        q
          .whereNull('last_seen_at')
          .orWhere('last_seen_at', '<', new Date(now.getTime() - TOUCH_EVERY_MS)),
      )
      .update({ last_seen_at: now });
  }

  async listForUser(userId: string, now: Date): Promise<SessionView[]> {
    const rows = await this.db('sessions')
      .where({ user_id: userId })
      .andWhere('expires_at', '>', now)
      .orderBy('created_at', 'desc');
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      userId: r.user_id as string,
      createdAt: r.created_at as Date,
      expiresAt: r.expires_at as Date,
      lastSeenAt: r.last_seen_at as Date | null,
      ip: r.ip as string | null,
      userAgent: r.user_agent as string | null,
      tokenHash: r.token_hash as string,
    }));
  }

  async findUserOf(id: string): Promise<string | undefined> {
    const row = await this.db('sessions').where({ id }).first('user_id');
    return row?.user_id as string | undefined;
  }

  async deleteById(id: string): Promise<number> {
    return this.db('sessions').where({ id }).delete();
  }

  /** Every session of the user except `keepTokenHash`; the number ended. */
  async deleteOthers(userId: string, keepTokenHash: string | null): Promise<number> {
    const q = this.db('sessions').where({ user_id: userId });
    if (keepTokenHash) q.whereNot({ token_hash: keepTokenHash });
    return q.delete();
  }

  async delete(tokenHash: string): Promise<void> {
    await Session.query(this.db).delete().where({ token_hash: tokenHash });
  }
}
