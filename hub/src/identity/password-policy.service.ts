import { apiError } from '../http/errors.js';
import type { AuditService } from './audit/audit.service.js';
import { isCommonPassword } from './common-passwords.js';
import { verifyPassword } from './password.js';
import type { PasswordPolicy, PasswordPolicyRepository } from './password-policy.repository.js';

/** Roles whose concurrent sessions the policy's `adminMaxSessions` limits. */
export const ADMIN_ROLES: readonly string[] = ['admin', 'tenant_admin'];

/** Bounds of what a policy may say (the API's schema uses them too). */
export const POLICY_BOUNDS = {
  minLength: { min: 8, max: 128 },
  history: { min: 0, max: 24 },
  adminMaxSessions: { min: 1, max: 100 },
} as const;

/** Why a new password is refused; `BW_ERR_PASSWORD_POLICY` carries it in `details.reason`. */
export type PolicyRefusal = 'too_short' | 'common' | 'reused';

/**
 * The tenant's password policy for local accounts (docs/security.md "Password policy"): checked
 * whenever a password is set — by its owner, by an admin, for a new user — and the replaced
 * password remembered for the reuse rule.
 */
export class PasswordPolicyService {
  constructor(
    private readonly repo: PasswordPolicyRepository,
    private readonly audit?: AuditService,
  ) {}

  policyFor(tenantId: string | null): Promise<PasswordPolicy> {
    return this.repo.find(tenantId);
  }

  async update(
    tenantId: string | null,
    change: Omit<PasswordPolicy, 'tenantId'>,
    actor?: { id: string; username: string; tenantId: string | null },
  ): Promise<PasswordPolicy> {
    const before = await this.repo.find(tenantId);
    const after = { ...change, tenantId };
    await this.repo.save(after);
    await this.audit?.record({
      action: 'auth.password_policy_changed',
      actor: actor ?? undefined,
      target: tenantId ? `tenant:${tenantId}` : 'tenant:global',
      tenantId,
      details: { before: strip(before), after: strip(after) },
    });
    return after;
  }

  /**
   * Refuses `password` for a user of `tenantId` with 400 `BW_ERR_PASSWORD_POLICY` naming
   * `field` and the reason. `user` (an existing user) also checks reuse of their current and
   * earlier passwords.
   */
  async check(
    tenantId: string | null,
    password: string,
    field: string,
    user?: { id: string; currentHash: string | null },
  ): Promise<void> {
    const policy = await this.repo.find(tenantId);
    // Characters as people count them (code points), not UTF-16 units.
    if ([...password].length < policy.minLength)
      throw refusal(field, 'too_short', `at least ${policy.minLength} characters`, {
        minLength: policy.minLength,
      });
    if (policy.refuseCommon && (await isCommonPassword(password)))
      throw refusal(field, 'common', 'this password is on the list of common passwords');
    if (user && policy.history > 0) {
      const earlier = [
        ...(user.currentHash ? [user.currentHash] : []),
        ...(await this.repo.history(user.id, policy.history - 1)),
      ];
      for (const hash of earlier) {
        if (await verifyPassword(password, hash))
          throw refusal(field, 'reused', `one of your last ${policy.history} passwords`, {
            history: policy.history,
          });
      }
    }
  }

  /** After a password was replaced: keeps the old hash for the reuse rule. */
  async remember(tenantId: string | null, userId: string, oldHash: string | null) {
    if (!oldHash) return;
    const policy = await this.repo.find(tenantId);
    await this.repo.remember(userId, oldHash, Math.max(policy.history - 1, 1));
  }

  /** Session ids of an admin-role user beyond the tenant's limit, oldest first. */
  async sessionsOverLimit(
    user: { id: string; role: string; tenantId: string | null },
    now: Date,
  ): Promise<string[]> {
    if (!ADMIN_ROLES.includes(user.role)) return [];
    const { adminMaxSessions } = await this.repo.find(user.tenantId);
    if (adminMaxSessions === null) return [];
    return this.repo.sessionsBeyond(user.id, adminMaxSessions, now);
  }
}

const strip = ({ tenantId: _t, ...rest }: PasswordPolicy) => rest;

function refusal(
  field: string,
  reason: PolicyRefusal,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return apiError(400, 'BW_ERR_PASSWORD_POLICY', `${field}: ${message}`, {
    field,
    reason,
    ...extra,
  });
}
