import type { Language } from '@branchwatch/api';
import { apiError, notFound } from '../http/errors.js';
import type { SessionUser } from '../http/request-state.js';
import type { HelpdeskSettingsRepository } from './helpdesk-settings.repository.js';

/**
 * A tenant's helpdesk settings. A user of a tenant reads and changes their own tenant's; a
 * global admin names the tenant (`tenantId`).
 */
export class HelpdeskSettingsService {
  constructor(private readonly repo: HelpdeskSettingsRepository) {}

  async get(user: SessionUser, tenantId: string | undefined) {
    const tenant = this.tenantOf(user, tenantId);
    const language = await this.repo.language(tenant);
    if (!language) throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${tenant} does not exist`);
    return { tenantId: tenant, language };
  }

  async save(user: SessionUser, input: { tenantId?: string; language: Language }) {
    const tenant = this.tenantOf(user, input.tenantId);
    if (!(await this.repo.setLanguage(tenant, input.language))) {
      throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${tenant} does not exist`);
    }
    return { tenantId: tenant, language: input.language };
  }

  /**
   * The tenant a helpdesk object or setting belongs to: the caller's own, or for a global admin
   * the one named (null: shared by every tenant, where `shared` allows it).
   */
  ownerOf(user: SessionUser, tenantId: string | null | undefined): string | null {
    if (user.tenantId) {
      if (tenantId && tenantId !== user.tenantId) {
        throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: only your own tenant', {
          field: 'tenantId',
        });
      }
      return user.tenantId;
    }
    return tenantId ?? null;
  }

  /** Exists check for a tenant named by a global admin. */
  async assertTenant(tenantId: string | null): Promise<void> {
    if (tenantId && !(await this.repo.language(tenantId))) {
      throw apiError(400, 'BW_ERR_VALIDATION', `tenantId: tenant ${tenantId} does not exist`, {
        field: 'tenantId',
      });
    }
  }

  private tenantOf(user: SessionUser, tenantId: string | undefined): string {
    const tenant = this.ownerOf(user, tenantId);
    if (!tenant) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: required for users of every tenant', {
        field: 'tenantId',
      });
    }
    return tenant;
  }
}
