import type { Database } from '../db/database.js';
import { Session } from '../models/session.model.js';

export class SessionRepository {
  constructor(private readonly db: Database) {}

  create(tokenHash: string, userId: string, expiresAt: Date) {
    return Session.query(this.db).insert({ tokenHash, userId, expiresAt });
  }

  /** The session if it exists and has not expired. */
  findValid(tokenHash: string, now: Date) {
    return Session.query(this.db).findOne({ token_hash: tokenHash }).where('expires_at', '>', now);
  }

  async delete(tokenHash: string): Promise<void> {
    await Session.query(this.db).delete().where({ token_hash: tokenHash });
  }
}
