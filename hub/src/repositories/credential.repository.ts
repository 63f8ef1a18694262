import type { Database } from '../db/database.js';

/** A user's sign-in state beside the password: lockout and two-factor (migration 011). */
export interface CredentialState {
  failedLogins: number;
  lockedUntil: Date | null;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
}

export type LoginTicketPurpose = 'mfa' | 'enrol';

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

  /** Counts a failure; locks until `lockUntil` when the count reaches `max` (and restarts it). */
  async recordFailure(userId: string, max: number, lockUntil: Date): Promise<boolean> {
    const [row] = await this.db('users')
      .where({ id: userId })
      .update({
        failed_logins: this.db.raw(
          'CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END',
          [max],
        ),
        locked_until: this.db.raw('CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END', [
          max,
          lockUntil,
        ]),
      })
      .returning(['failed_logins', 'locked_until']);
    return row?.failed_logins === 0 && row?.locked_until?.getTime() === lockUntil.getTime();
  }

  async recordSuccess(userId: string): Promise<void> {
    await this.db('users').where({ id: userId }).update({ failed_logins: 0, locked_until: null });
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.db('users').where({ id: userId }).update({ password_hash: hash });
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
  ): Promise<void> {
    await this.db('login_tickets').where('expires_at', '<', new Date()).delete();
    await this.db('login_tickets').insert({
      ticket_hash: ticketHash,
      user_id: userId,
      purpose,
      expires_at: expiresAt,
    });
  }

  /** Counts an attempt on a live ticket and returns it; undefined when unknown or expired. */
  async useTicket(
    ticketHash: string,
    now: Date,
  ): Promise<{ userId: string; purpose: LoginTicketPurpose; attempts: number } | undefined> {
    const [row] = await this.db('login_tickets')
      .where({ ticket_hash: ticketHash })
      .andWhere('expires_at', '>', now)
      .increment('attempts', 1)
      .returning(['user_id', 'purpose', 'attempts']);
    return row ? { userId: row.user_id, purpose: row.purpose, attempts: row.attempts } : undefined;
  }

  async deleteTicket(ticketHash: string): Promise<void> {
    await this.db('login_tickets').where({ ticket_hash: ticketHash }).delete();
  }
}
