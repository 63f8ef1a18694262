import type { Database } from '../db/database.js';

/** A user's sign-in state beside the password: lockout and two-factor (migration 011). */
export interface CredentialState {
  failedLogins: number;
  lockedUntil: Date | null;
  /** Sealed (identity/secret-box.ts); only TwoFactorService opens it. */
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
}

export type LoginTicketPurpose = 'mfa' | 'enrol';

/** A user's two TOTP secret columns, as stored (sealed or, from before sealing, in clear). */
export interface TotpSecrets {
  userId: string;
  secret: string | null;
  pendingSecret: string | null;
}

export class CredentialRepository {
  constructor(private readonly db: Database) {}

  async stateOf(userId: string): Promise<CredentialState> {
    const r = await this.db('users')
      .where({ id: userId })
      .first(
        'failed_logins',
        'locked_until',
        'totp_secret',
        'totp_pending_secret',
        'totp_last_step',
      );
    return {
      failedLogins: r?.failed_logins ?? 0,
      lockedUntil: r?.locked_until ?? null,
      totpSecret: r?.totp_secret ?? null,
      totpPendingSecret: r?.totp_pending_secret ?? null,
      totpLastStep: r?.totp_last_step ?? null,
    };
  }

  async recordSuccess(userId: string): Promise<void> {
    await this.db('users').where({ id: userId }).update({ failed_logins: 0, locked_until: null });
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.db('users').where({ id: userId }).update({ password_hash: hash });
  }

  /**
   * After a password change: every API token revoked, every login ticket and every session
   * but `keepTokenHash` (the one that changed it) ended.
   */
  async revokeAfterPasswordChange(userId: string, keepTokenHash: string, now: Date) {
    await this.db('sessions')
      .where({ user_id: userId })
      .whereNot({ token_hash: keepTokenHash })
      .delete();
    await this.db('api_tokens')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .update({ revoked_at: now });
    await this.db('login_tickets').where({ user_id: userId }).delete();
  }

  async setPendingTotp(userId: string, secret: string | null): Promise<void> {
    await this.db('users').where({ id: userId }).update({ totp_pending_secret: secret });
  }

  /** Confirms the pending secret and replaces the recovery codes, in one transaction. */
  async enableTotp(userId: string, secret: string, step: number, codeHashes: string[]) {
    await this.db.transaction(async (trx) => {
      await trx('users')
        .where({ id: userId })
        .update({ totp_secret: secret, totp_pending_secret: null, totp_last_step: step });
      await trx('recovery_codes').where({ user_id: userId }).delete();
      await trx('recovery_codes').insert(
        codeHashes.map((code_hash) => ({ user_id: userId, code_hash })),
      );
    });
  }

  async disableTotp(userId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('users')
        .where({ id: userId })
        .update({ totp_secret: null, totp_pending_secret: null, totp_last_step: null });
      await trx('recovery_codes').where({ user_id: userId }).delete();
    });
  }

  /**
   * Users whose TOTP secret or pending secret is stored in clear (from before secrets were
   * sealed): neither value starts with the sealed format's `v1:` prefix.
   */
  async clearTotpSecrets(): Promise<TotpSecrets[]> {
    const rows = await this.db('users')
      .where((q) => q.whereNotNull('totp_secret').andWhereNot('totp_secret', 'like', 'v1:%'))
      .orWhere((q) =>
        q.whereNotNull('totp_pending_secret').andWhereNot('totp_pending_secret', 'like', 'v1:%'),
      )
      .select('id', 'totp_secret', 'totp_pending_secret');
    return rows.map((r: Record<string, string | null>) => ({
      userId: r.id!,
      secret: r.totp_secret ?? null,
      pendingSecret: r.totp_pending_secret ?? null,
    }));
  }

  /** How many users have a sealed TOTP secret whose key id is not `keyId`. */
  async sealedWithOtherKey(keyId: string): Promise<number> {
    const [row] = await this.db('users')
      .where('totp_secret', 'like', 'v1:%')
      .andWhereNot('totp_secret', 'like', `v1:${keyId}:%`)
      .count<{ count: string }[]>('* as count');
    return Number(row?.count ?? 0);
  }

  /**
   * Replaces both secrets only if they are still what was read (`from`), so that two hub
   * processes sealing at once, or a user enrolling meanwhile, lose nothing; false otherwise.
   */
  async replaceTotpSecrets(from: TotpSecrets, to: TotpSecrets): Promise<boolean> {
    const n = await this.db('users')
      .where({ id: from.userId })
      .andWhereRaw('totp_secret IS NOT DISTINCT FROM ?', [from.secret])
      .andWhereRaw('totp_pending_secret IS NOT DISTINCT FROM ?', [from.pendingSecret])
      .update({ totp_secret: to.secret, totp_pending_secret: to.pendingSecret });
    return n > 0;
  }

  /** Accepts a time step only if it is later than the last one accepted (no replay). */
  async acceptStep(userId: string, step: number): Promise<boolean> {
    const n = await this.db('users')
      .where({ id: userId })
      .andWhere((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
      .update({ totp_last_step: step });
    return n > 0;
  }

  /** Marks a recovery code used; false when it is unknown or already used. */
  async useRecoveryCode(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const n = await this.db('recovery_codes')
      .where({ user_id: userId, code_hash: codeHash })
      .whereNull('used_at')
      .update({ used_at: now });
    return n > 0;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    const [row] = await this.db('recovery_codes')
      .where({ user_id: userId })
      .whereNull('used_at')
      .count<{ count: string }[]>('* as count');
    return Number(row?.count ?? 0);
  }

  async createTicket(
    ticketHash: string,
    userId: string,
    purpose: LoginTicketPurpose,
    expiresAt: Date,
    /** The provider the first step came through, kept for the session's audit entry. */
    via?: Record<string, unknown>,
  ): Promise<void> {
    await this.db('login_tickets').where('expires_at', '<', new Date()).delete();
    await this.db('login_tickets').insert({
      ticket_hash: ticketHash,
      user_id: userId,
      purpose,
      expires_at: expiresAt,
      signed_in_via: via ? JSON.stringify(via) : null,
    });
  }

  /** Counts an attempt on a live ticket and returns it; undefined when unknown or expired. */
  async useTicket(
    ticketHash: string,
    now: Date,
  ): Promise<
    | {
        userId: string;
        purpose: LoginTicketPurpose;
        attempts: number;
        via: Record<string, unknown> | null;
      }
    | undefined
  > {
    const [row] = await this.db('login_tickets')
      .where({ ticket_hash: ticketHash })
      .andWhere('expires_at', '>', now)
      .increment('attempts', 1)
      .returning(['user_id', 'purpose', 'attempts', 'signed_in_via']);
    return row
      ? {
          userId: row.user_id,
          purpose: row.purpose,
          attempts: row.attempts,
          via: row.signed_in_via ?? null,
        }
      : undefined;
  }

  async deleteTicket(ticketHash: string): Promise<void> {
    await this.db('login_tickets').where({ ticket_hash: ticketHash }).delete();
  }
}
