import type { Database } from '../../db/database.js';

/** A login between the redirect to the provider and its answer (migration 026). */
export interface LoginState {
  providerId: string;
  purpose: 'login' | 'test';
  data: Record<string, unknown>;
}

/** The links between provider subjects and users, and logins in flight. */
export class SsoSignInRepository {
  constructor(private readonly db: Database) {}

  async saveState(stateHash: string, state: LoginState, expiresAt: Date): Promise<void> {
    // Old states of any provider go as new ones come: nobody else sweeps this table.
    await this.db('sso_login_states').where('expires_at', '<', new Date()).delete();
    await this.db('sso_login_states').insert({
      state_hash: stateHash,
      provider_id: state.providerId,
      purpose: state.purpose,
      data: JSON.stringify(state.data),
      expires_at: expiresAt,
    });
  }

  /** Takes the state (once: it is deleted) if it is live. */
  async takeState(stateHash: string, now: Date): Promise<LoginState | undefined> {
    const [row] = (await this.db('sso_login_states')
      .where({ state_hash: stateHash })
      .delete()
      .returning(['provider_id', 'purpose', 'data', 'expires_at'])) as {
      provider_id: string;
      purpose: 'login' | 'test';
      data: Record<string, unknown>;
      expires_at: Date;
    }[];
    if (!row || row.expires_at <= now) return undefined;
    return { providerId: row.provider_id, purpose: row.purpose, data: row.data };
  }

  /** A live state of this provider, left in place (node-saml reads it, then removes it). */
  async peekState(
    stateHash: string,
    providerId: string,
    now: Date,
  ): Promise<Record<string, unknown> | undefined> {
    const row = (await this.db('sso_login_states')
      .where({ state_hash: stateHash, provider_id: providerId })
      .andWhere('expires_at', '>', now)
      .first('data')) as { data: Record<string, unknown> } | undefined;
    return row?.data;
  }

  async deleteState(stateHash: string): Promise<void> {
    await this.db('sso_login_states').where({ state_hash: stateHash }).delete();
  }

  /**
   * Records a SAML assertion id as used (the replay cache, migration 026). False: it was
   * already used at this provider — a replay. The insert is the check, so two hub processes
   * given the same assertion at once accept it once.
   */
  async assertionFirstUse(providerId: string, assertionId: string, expiresAt: Date) {
    await this.db('saml_seen_assertions').where('expires_at', '<', new Date()).delete();
    const inserted = (await this.db('saml_seen_assertions')
      .insert({ provider_id: providerId, assertion_id: assertionId, expires_at: expiresAt })
      .onConflict(['provider_id', 'assertion_id'])
      .ignore()
      .returning('assertion_id')) as unknown[];
    return inserted.length === 1;
  }

  /**
   * Ends the sessions of the person linked to `subject` at this provider that came through it
   * (only those of `sessionIndex` when the IdP names one): SAML single logout. Null: nobody
   * of that subject here.
   */
  async endSessionsOf(
    providerId: string,
    subject: string,
    sessionIndex: string | null,
  ): Promise<{ userId: string; sessions: number } | null> {
    const userId = await this.userOf(providerId, subject);
    if (!userId) return null;
    const q = this.db('sessions').where({ user_id: userId, identity_provider_id: providerId });
    if (sessionIndex) void q.whereRaw("sso_logout->>'sessionIndex' = ?", [sessionIndex]);
    return { userId, sessions: await q.delete() };
  }

  async userOf(providerId: string, subject: string): Promise<string | undefined> {
    const row = (await this.db('user_identities')
      .where({ provider_id: providerId, subject })
      .first('user_id')) as { user_id: string } | undefined;
    return row?.user_id;
  }

  async link(providerId: string, subject: string, userId: string, email: string | null) {
    await this.db('user_identities').insert({
      provider_id: providerId,
      subject,
      user_id: userId,
      email,
      last_login_at: new Date(),
    });
  }

  async touchLink(providerId: string, subject: string, email: string | null): Promise<void> {
    await this.db('user_identities')
      .where({ provider_id: providerId, subject })
      .update({ email, last_login_at: new Date() });
  }

  async usernameTaken(username: string): Promise<boolean> {
    return (await this.db('users').where({ username }).first('id')) !== undefined;
  }

  async setEmail(userId: string, email: string | null): Promise<void> {
    await this.db('users').where({ id: userId }).update({ email });
  }

  /** Whether the user is marked as a break-glass account (password sign-in stays open). */
  async breakGlass(userId: string): Promise<boolean> {
    const row = (await this.db('users').where({ id: userId }).first('break_glass')) as
      { break_glass: boolean } | undefined;
    return row?.break_glass ?? false;
  }
}
