import { TOPIC_SEGMENT } from '@branchwatch/contract';
import { apiError, conflict, notFound } from '../errors.js';
import type { BranchRepository } from '../repositories/branch.repository.js';
import type { TenantRepository } from '../repositories/tenant.repository.js';
import { DEFAULT_TENANT } from './bootstrap.service.js';

export class BranchService {
  constructor(
    private readonly branches: BranchRepository,
    private readonly tenants: TenantRepository,
  ) {}

  list(tenantId: string | null) {
    return this.branches.list(tenantId);
  }

  /** Creates a branch in the user's tenant, or in the named (or default) one for global admins. */
  async create(
    input: { slug: string; name?: string; tenant?: string },
    scopeTenantId: string | null,
  ) {
    if (!TOPIC_SEGMENT.test(input.slug)) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'slug must be 1-63 of a-z, 0-9, "-", "_"');
    }
    const tenant = scopeTenantId
      ? await this.tenants.findById(scopeTenantId)
      : await this.tenants.findBySlug(input.tenant ?? DEFAULT_TENANT);
    if (!tenant) {
      throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${input.tenant ?? ''} does not exist`);
    }
    if (await this.branches.findBySlug(tenant.id, input.slug)) {
      throw conflict(`branch ${input.slug} already exists in tenant ${tenant.slug}`);
    }
    await this.branches.create({
      tenantId: tenant.id,
      slug: input.slug,
      name: input.name ?? input.slug,
    });
    return (await this.branches.list(tenant.id)).find((b) => b.slug === input.slug)!;
  }
}
