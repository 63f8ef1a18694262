import type { Database } from '../db/database.js';

/** A tenant's password policy (migration 024); `tenantId` null: the global users'. */
export interface PasswordPolicy {
  tenantId: string | null;
  minLength: number;
  refuseCommon: boolean;
  /** How many earlier passwords may not be used again (0: any). */
  history: number;
  /** Sessions at once for a person of an admin role; null: no limit. */
  adminMaxSessions: number | null;
}

export const DEFAULT_PASSWORD_POLICY: Omit<PasswordPolicy, 'tenantId'> = {
  minLength: 8,
  refuseCommon: true,
  history: 5,
  adminMaxSessions: null,
};

/** Password policies and each user's earlier password hashes. */
export class PasswordPolicyRepository {
  constructor(private readonly db: Database) {}

  async find(tenantId: string | null): Promise<PasswordPolicy> {
    const q = this.db('password_policies');
    const row = await (
      tenantId === null ? q.whereNull('tenant_id') : q.where({ tenant_id: tenantId })
    ).first();
    if (!row) return { tenantId, ...DEFAULT_PASSWORD_POLICY };
    return {
      tenantId,
      minLength: row.min_length,
      refuseCommon: row.refuse_common,
      history: row.history,
      adminMaxSessions: row.admin_max_sessions,
    };
  }

  async save(policy: PasswordPolicy): Promise<void> {
    await this.db('password_policies')
      .insert({
        tenant_id: policy.tenantId,
        min_length: policy.minLength,
        refuse_common: policy.refuseCommon,
        history: policy.history,
        admin_max_sessions: policy.adminMaxSessions,
        updated_at: new Date(),
      })
      .onConflict('tenant_id')
      .merge();
  }

  /** The user's earlier password hashes, newest first. */
  async history(userId: string, count: number): Promise<string[]> {
    if (count <= 0) return [];
    const rows = await this.db('password_history')
      .where({ user_id: userId })
      .orderBy('id', 'desc')
      .limit(count)
      .select('password_hash');
    return rows.map((r: { password_hash: string }) => r.password_hash);
  }

  /** Keeps `hash` (the password being replaced) and drops what is older than `keep`. */
  async remember(userId: string, hash: string, keep: number): Promise<void> {
    await this.db('password_history').insert({ user_id: userId, password_hash: hash });
    await this.db('password_history')
      .where({ user_id: userId })
      .whereNotIn(
        'id',
        this.db('password_history')
          .where({ user_id: userId })
          .orderBy('id', 'desc')
          .limit(Math.max(keep, 1))
          .select('id'),
      )
      .delete();
  }

  /** Session ids of the user beyond the newest `keep`, oldest first. */
  async sessionsBeyond(userId: string, keep: number, now: Date): Promise<string[]> {
    const rows = await this.db('sessions')
      .where({ user_id: userId })
      .andWhere('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .offset(keep)
      .select('id');
    return rows.map((r: { id: string }) => r.id);
  }
}
