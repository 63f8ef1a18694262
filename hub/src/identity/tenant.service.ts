import { apiError, conflict, notFound, refuseWhileUsed } from '../http/errors.js';
import { assertSlug } from '../http/slug.js';
import type { AuditService } from './audit/audit.service.js';
import { DEFAULT_TENANT } from './bootstrap.service.js';
import type { Tenant } from './tenant.model.js';
import type { TenantRepository } from './tenant.repository.js';

/**
 * Tenants, administered by global admins (tenants.manage). The slug is fixed once made: it is
 * the first level of every MQTT topic of the tenant's agents, and part of their usernames.
 */
export class TenantService {
  constructor(
    private readonly tenants: TenantRepository,
    /** Deleting a tenant is recorded in the audit log. */
    private readonly audit?: AuditService,
  ) {}

  list() {
    return this.tenants.list();
  }

  async create(slug: string, name: string) {
    assertSlug(slug);
    if (await this.tenants.findBySlug(slug)) throw conflict(`tenant ${slug} exists`);
    return this.tenants.ensure(slug, name);
  }

  async rename(id: string, name: string): Promise<Tenant> {
    await this.visible(id);
    await this.tenants.rename(id, name);
    return (await this.tenants.findById(id))!;
  }

  /**
   * Deletes a tenant that holds nothing any more: its branches (and with them agents and
   * rounds), users and tickets go first, each on its own page. The default tenant stays: a
   * global admin's new branches land in it.
   */
  async remove(id: string): Promise<void> {
    const tenant = await this.visible(id);
    if (tenant.slug === DEFAULT_TENANT) {
      throw apiError(409, 'BW_ERR_TENANT_IN_USE', 'the default tenant cannot be deleted', {
        default: true,
      });
    }
    const dependents = await this.tenants.dependents(id);
    refuseWhileUsed(
      'BW_ERR_TENANT_IN_USE',
      `tenant ${tenant.name}`,
      { ...dependents },
      {
        branches: 'branch(es)',
        users: 'user(s)',
        tickets: 'ticket(s)',
      },
    );
    await this.tenants.delete(id);
    await this.audit?.record({
      action: 'tenant.deleted',
      target: `tenant:${id}`,
      tenantId: id,
      details: { before: { slug: tenant.slug, name: tenant.name } },
    });
  }

  private async visible(id: string): Promise<Tenant> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${id} does not exist`);
    return tenant;
  }
}
