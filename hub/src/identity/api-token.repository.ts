import type { Database } from '../db/database.js';
import { TOUCH_EVERY_MS } from './session.repository.js';

export interface ApiTokenRow {
  id: string;
  userId: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = [
  'id',
  'user_id',
  'name',
  'scopes',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
];

export class ApiTokenRepository {
  constructor(private readonly db: Database) {}

  async create(values: {
    userId: string;
    name: string;
    tokenHash: string;
    scopes: string[];
    expiresAt: Date | null;
  }): Promise<ApiTokenRow> {
    const [row] = await this.db('api_tokens')
      .insert({
        user_id: values.userId,
        name: values.name,
        token_hash: values.tokenHash,
        scopes: values.scopes,
        expires_at: values.expiresAt,
      })
      .returning(COLUMNS);
    return toRow(row);
  }

  /** A token that is neither revoked nor expired. */
  async findUsable(tokenHash: string, now: Date): Promise<ApiTokenRow | undefined> {
    const row = await this.db('api_tokens')
      .where({ token_hash: tokenHash })
      .whereNull('revoked_at')
      .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .first(COLUMNS);
    return row ? toRow(row) : undefined;
  }

  /** At most once a minute per token. */
  async touch(id: string, now: Date): Promise<void> {
    await this.db('api_tokens')
      .where({ id })
      .andWhere((q) =>
        q
          .whereNull('last_used_at')
          .orWhere('last_used_at', '<', new Date(now.getTime() - TOUCH_EVERY_MS)),
      )
      .update({ last_used_at: now });
  }

  async listForUser(userId: string): Promise<ApiTokenRow[]> {
    const rows = await this.db('api_tokens')
      .where({ user_id: userId })
      .orderBy('created_at', 'desc')
      .select(COLUMNS);
    return rows.map(toRow);
  }

  async findById(id: string): Promise<ApiTokenRow | undefined> {
    const row = await this.db('api_tokens').where({ id }).first(COLUMNS);
    return row ? toRow(row) : undefined;
  }

  async revoke(id: string, now: Date): Promise<boolean> {
    const n = await this.db('api_tokens')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: now });
    return n > 0;
  }
}

const toRow = (r: Record<string, unknown>): ApiTokenRow => ({
  id: r.id as string,
  userId: r.user_id as string,
  name: r.name as string,
  scopes: r.scopes as string[],
  createdAt: r.created_at as Date,
  expiresAt: r.expires_at as Date | null,
  lastUsedAt: r.last_used_at as Date | null,
  revokedAt: r.revoked_at as Date | null,
});
