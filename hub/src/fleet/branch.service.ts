import { conflict, notFound } from '../http/errors.js';
import { assertSlug } from '../http/slug.js';
import type { BranchRepository } from './branch.repository.js';
import type { TenantRepository } from '../identity/tenant.repository.js';
import { DEFAULT_TENANT } from '../identity/bootstrap.service.js';

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
    assertSlug(input.slug);
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
