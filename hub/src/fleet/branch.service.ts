import { apiError, conflict, notFound, refuseWhileUsed } from '../http/errors.js';
import { assertSlug } from '../http/slug.js';
import { isTimeZone } from '../core/time-zone.js';
import type { BranchPatch, BranchRepository, BranchRow } from './branch.repository.js';
import type { TenantRepository } from '../identity/tenant.repository.js';
import type { AuditService } from '../identity/audit/audit.service.js';
import { DEFAULT_TENANT } from '../identity/bootstrap.service.js';

export class BranchService {
  constructor(
    private readonly branches: BranchRepository,
    private readonly tenants: TenantRepository,
    /** Deleting a branch is recorded in the audit log. */
    private readonly audit?: AuditService,
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

  /**
   * Renames a branch, or sets its address, coordinates or time zone. The slug stays: it is a
   * level of the branch's agents' MQTT topics and credentials (docs/contract.md).
   */
  async update(id: string, patch: BranchPatch): Promise<BranchRow> {
    const branch = await this.visible(id);
    if (patch.timeZone !== undefined && !isTimeZone(patch.timeZone)) {
      throw invalid('timeZone', `unknown IANA time zone "${patch.timeZone}"`);
    }
    const latitude = patch.latitude === undefined ? branch.latitude : patch.latitude;
    const longitude = patch.longitude === undefined ? branch.longitude : patch.longitude;
    if ((latitude === null) !== (longitude === null)) {
      const missing = latitude === null ? 'latitude' : 'longitude';
      throw invalid(missing, 'give latitude and longitude together, or clear both');
    }
    await this.branches.update(id, patch);
    return (await this.branches.findRow(id))!;
  }

  /**
   * Deletes a branch that nothing needs any more. Agents must be removed first (their rounds
   * and checks go with them, which a person should decide on its own), open tickets resolved,
   * and users scoped to the branch re-scoped: a user whose only branch vanished would see
   * every branch of the tenant.
   */
  async remove(id: string): Promise<void> {
    const branch = await this.visible(id);
    const dependents = await this.branches.dependents(id);
    refuseWhileUsed(
      'BW_ERR_BRANCH_IN_USE',
      `branch ${branch.name}`,
      { ...dependents },
      {
        agents: 'agent(s)',
        openTickets: 'open ticket(s)',
        scopedUsers: 'user(s) scoped to it',
      },
    );
    await this.branches.delete(id);
    await this.audit?.record({
      action: 'branch.deleted',
      target: `branch:${id}`,
      tenantId: branch.tenantId,
      details: { before: branch },
    });
  }

  private async visible(id: string): Promise<BranchRow> {
    const branch = await this.branches.findRow(id);
    if (!branch) throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${id} does not exist`);
    return branch;
  }
}

function invalid(field: string, message: string) {
  return apiError(400, 'BW_ERR_VALIDATION', `${field}: ${message}`, { field });
}
