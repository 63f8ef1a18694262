import type { Role } from '@branchwatch/api';
import type { EventBus } from '../../core/events.js';
import type { Database } from '../../db/database.js';
import { randomSecret } from '../../core/random-secret.js';
import type { AuditService } from '../audit/audit.service.js';
import { hashPassword } from '../password.js';
import type { RoleRepository } from '../role.repository.js';
import type { IdentityProviderRow } from './identity-provider.repository.js';
import { applyMode, mapClaims, sameGrant, type Grant } from './role-mapping.js';

/** Who the provider says signed in, and what it says of them. */
export interface ProviderIdentity {
  /** The provider's stable name for the person: the DN (LDAP), `sub` (OIDC), NameID (SAML). */
  subject: string;
  /** What the person typed (LDAP), kept so that the directory's "not found" can be acted on. */
  loginName?: string;
  email: string | null;
  displayName: string | null;
  /** Claims, attributes or groups the mapping rules look in. */
  claims: Record<string, unknown>;
}

/** Why a sign-in through a provider was refused (the report counts these). */
export type RefusalReason =
  'not_provisioned' | 'no_role' | 'username_taken' | 'disabled' | 'not_in_directory';

export type ProvisionResult =
  { ok: true; userId: string; created: boolean } | { ok: false; reason: RefusalReason };

interface Link {
  userId: string;
  revokedAt: Date | null;
}

/**
 * Just-in-time users of a tenant's identity providers (docs/sso.md): the person is found by
 * their link to the provider only, never by a matching username or e-mail; made at their first
 * sign-in when the provider provisions users; given the role and branches the mapping rules
 * give, by the provider's mode, at every sign-in. Every change is in the audit chain with
 * before and after; a person the mapping leaves without access is disabled and their sessions,
 * tokens and live streams end.
 */
export class SsoProvisioning {
  constructor(
    private readonly db: Database,
    private readonly roles: RoleRepository,
    private readonly audit: AuditService,
    private readonly events?: EventBus,
  ) {}

  async signIn(provider: IdentityProviderRow, who: ProviderIdentity): Promise<ProvisionResult> {
    const mapped = mapClaims(who.claims, provider.rules, provider.defaultRole);
    const link = await this.linkOf(provider.id, who.subject);
    if (!link) return this.provision(provider, who, mapped.grant);

    const user = await this.roles.findUser(link.userId);
    if (!user) return { ok: false, reason: 'disabled' };
    const current: Grant = {
      role: user.role,
      customRoleId: user.customRoleId,
      branchIds: user.branchIds,
    };
    // Disabled by an admin: stays so. Disabled by the directory: back when it maps again.
    if (user.disabled && !link.revokedAt) return { ok: false, reason: 'disabled' };
    const next = applyMode(provider.mappingMode, current, mapped.grant);
    if (!next) {
      if (!user.disabled) await this.revoke(provider, link.userId, current, 'no_role');
      return { ok: false, reason: 'no_role' };
    }
    if (!sameGrant(current, next)) {
      await this.roles.updateUser(user.id, { role: next.role, customRoleId: next.customRoleId });
      await this.roles.setBranches(user.id, next.branchIds);
      await this.audit.record({
        action: 'sso.role_changed',
        actor: null,
        target: `user:${user.id}`,
        tenantId: provider.tenantId,
        details: { provider: provider.id, before: current, after: next },
      });
    }
    if (user.disabled) {
      await this.roles.updateUser(user.id, { disabled: false });
      await this.audit.record({
        action: 'sso.access_restored',
        actor: null,
        target: `user:${user.id}`,
        tenantId: provider.tenantId,
        details: { provider: provider.id, after: next },
      });
    }
    await this.touch(provider.id, who, link.userId);
    return { ok: true, userId: user.id, created: false };
  }

  /**
   * The directory no longer finds the person who typed `loginName`: whoever it was linked to
   * loses access (disabled, sessions and tokens ended), as at a removal by SCIM.
   */
  async directoryDropped(provider: IdentityProviderRow, loginName: string): Promise<boolean> {
    const row = (await this.db('user_identities as i')
      .join('users as u', 'u.id', 'i.user_id')
      .where('i.provider_id', provider.id)
      .whereRaw('lower(i.login_name) = ?', [loginName.toLowerCase()])
      .first(
        'u.id as userId',
        'u.role',
        'u.custom_role_id as customRoleId',
        'u.disabled_at as disabledAt',
      )) as
      | { userId: string; role: Role; customRoleId: string | null; disabledAt: Date | null }
      | undefined;
    if (!row || row.disabledAt) return false;
    const user = await this.roles.findUser(row.userId);
    await this.revoke(
      provider,
      row.userId,
      { role: row.role, customRoleId: row.customRoleId, branchIds: user?.branchIds ?? [] },
      'not_in_directory',
    );
    return true;
  }

  private async provision(
    provider: IdentityProviderRow,
    who: ProviderIdentity,
    grant: Grant | null,
  ): Promise<ProvisionResult> {
    if (!provider.provisionUsers) return { ok: false, reason: 'not_provisioned' };
    if (!grant) return { ok: false, reason: 'no_role' };
    const username = (who.email ?? who.loginName ?? who.subject).toLowerCase().slice(0, 200);
    // Never taken over: a local account or another tenant's person of the same name stays theirs.
    if (await this.db('users').whereRaw('lower(username) = ?', [username]).first('id'))
      return { ok: false, reason: 'username_taken' };
    const userId = await this.roles.insertUser({
      username,
      // Nobody knows it: the person signs in through the provider only.
      passwordHash: await hashPassword(randomSecret(32)),
      role: grant.role,
      tenantId: provider.tenantId,
      customRoleId: grant.customRoleId,
    });
    await this.db('users')
      .where({ id: userId })
      .update({ provisioned_by: provider.kind, email: who.email });
    await this.roles.setBranches(userId, grant.branchIds);
    await this.db('user_identities').insert({
      provider_id: provider.id,
      subject: who.subject,
      user_id: userId,
      email: who.email,
      login_name: who.loginName ?? null,
      last_login_at: new Date(),
    });
    await this.audit.record({
      action: 'sso.user_provisioned',
      actor: null,
      target: `user:${userId}`,
      tenantId: provider.tenantId,
      details: { provider: provider.id, username, before: null, after: grant },
    });
    return { ok: true, userId, created: true };
  }

  private async revoke(
    provider: IdentityProviderRow,
    userId: string,
    before: Grant,
    reason: RefusalReason,
  ) {
    const now = new Date();
    await this.roles.updateUser(userId, { disabled: true });
    await this.roles.revokeCredentials(userId, now);
    await this.db('user_identities')
      .where({ provider_id: provider.id, user_id: userId })
      .update({ revoked_at: now });
    // Live streams of the person close at once, on every hub process (live/live-events.ts).
    await this.events?.emit('access.revoked', { userId, at: now });
    await this.audit.record({
      action: 'sso.access_revoked',
      actor: null,
      target: `user:${userId}`,
      tenantId: provider.tenantId,
      details: { provider: provider.id, reason, before, after: null },
    });
  }

  private async linkOf(providerId: string, subject: string): Promise<Link | undefined> {
    return (await this.db('user_identities')
      .where({ provider_id: providerId, subject })
      .first('user_id as userId', 'revoked_at as revokedAt')) as Link | undefined;
  }

  private async touch(providerId: string, who: ProviderIdentity, userId: string) {
    await this.db('user_identities')
      .where({ provider_id: providerId, subject: who.subject })
      .update({
        last_login_at: new Date(),
        revoked_at: null,
        email: who.email,
        ...(who.loginName ? { login_name: who.loginName } : {}),
      });
    if (who.email) await this.db('users').where({ id: userId }).update({ email: who.email });
  }
}
