import { apiError, notFound } from '../../http/errors.js';
import type { Database } from '../../db/database.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Administrator } from '../user-admin.service.js';

export interface SignInSettings {
  tenantId: string;
  /** People sign in through one of the tenant's providers; a password only for break-glass. */
  ssoRequired: boolean;
  /** Local accounts that may still sign in with a password of the hub. */
  breakGlassUserIds: string[];
}

/**
 * The tenant's rule "sign in through our provider" and its break-glass accounts (docs/sso.md),
 * set by its admins (users.manage). Turning the rule on needs an enabled provider and an admin
 * of the tenant among the break-glass accounts: nobody could fix a broken provider otherwise.
 */
export class SignInSettingsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  async get(admin: Administrator, named?: string | null): Promise<SignInSettings> {
    const tenantId = await this.tenantOf(admin, named);
    const tenant = (await this.db('tenants').where({ id: tenantId }).first('sso_required')) as {
      sso_required: boolean;
    };
    const ids = (await this.db('users')
      .where({ tenant_id: tenantId, break_glass: true })
      .orderBy('username')
      .pluck('id')) as string[];
    return { tenantId, ssoRequired: tenant.sso_required, breakGlassUserIds: ids };
  }

  async set(
    admin: Administrator,
    input: { tenantId?: string | null; ssoRequired: boolean; breakGlassUserIds: string[] },
  ): Promise<SignInSettings> {
    const before = await this.get(admin, input.tenantId);
    const { tenantId } = before;
    const ids = [...new Set(input.breakGlassUserIds)];
    const found = (await this.db('users')
      .where({ tenant_id: tenantId })
      .whereIn('id', ids)
      .select('id', 'role', 'provisioned_by as provisionedBy', 'disabled_at as disabledAt')) as {
      id: string;
      role: string;
      provisionedBy: string | null;
    }[];
    if (found.length !== ids.length)
      throw notFound('BW_ERR_NOT_FOUND', 'breakGlassUserIds: a user does not exist');
    if (found.some((u) => u.provisionedBy !== null))
      throw apiError(
        400,
        'BW_ERR_VALIDATION',
        'breakGlassUserIds: a person the directory manages has no password of the hub',
        { field: 'breakGlassUserIds' },
      );
    if (input.ssoRequired) {
      const provider = await this.db('identity_providers')
        .where({ tenant_id: tenantId, enabled: true })
        .first('id');
      if (!provider)
        throw apiError(
          400,
          'BW_ERR_VALIDATION',
          'ssoRequired: the tenant has no enabled sign-in provider',
          { field: 'ssoRequired' },
        );
      if (!found.some((u) => u.role === 'tenant_admin'))
        throw apiError(
          400,
          'BW_ERR_VALIDATION',
          'breakGlassUserIds: keep at least one tenant admin able to sign in with a password',
          { field: 'breakGlassUserIds' },
        );
    }
    await this.db('tenants').where({ id: tenantId }).update({ sso_required: input.ssoRequired });
    await this.db('users').where({ tenant_id: tenantId }).update({ break_glass: false });
    if (ids.length) await this.db('users').whereIn('id', ids).update({ break_glass: true });
    const after = await this.get(admin, tenantId);
    await this.audit.record({
      action: 'sso.sign_in_settings_changed',
      target: `tenant:${tenantId}`,
      tenantId,
      details: {
        before: { ssoRequired: before.ssoRequired, breakGlassUserIds: before.breakGlassUserIds },
        after: { ssoRequired: after.ssoRequired, breakGlassUserIds: after.breakGlassUserIds },
      },
    });
    return after;
  }

  private tenantOf(admin: Administrator, named?: string | null): Promise<string> {
    return tenantOfAdmin(this.db, admin, named);
  }
}

/**
 * The tenant a tenant-scoped admin setting is about: a tenant admin's own (naming another is
 * 404), or the one a global admin names (400 without one).
 */
export async function tenantOfAdmin(
  db: Database,
  admin: Administrator,
  named?: string | null,
): Promise<string> {
  if (admin.tenantId) {
    if (named && named !== admin.tenantId)
      throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
    return admin.tenantId;
  }
  if (!named)
    throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: name the tenant', { field: 'tenantId' });
  if (!(await db('tenants').where({ id: named }).first('id')))
    throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
  return named;
}
