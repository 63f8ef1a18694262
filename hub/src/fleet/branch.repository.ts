import type { Database } from '../db/database.js';
import { Branch } from './branch.model.js';

export interface BranchRow extends Pick<Branch, 'id' | 'tenantId' | 'slug' | 'name'> {
  tenantSlug: string;
}

export class BranchRepository {
  constructor(private readonly db: Database) {}

  /** Branches with their tenant's slug, optionally of one tenant only. */
  async list(tenantId: string | null): Promise<BranchRow[]> {
    const rows = await this.db('branches as b')
      .join('tenants as t', 't.id', 'b.tenant_id')
      .modify((q) => (tenantId ? q.where('b.tenant_id', tenantId) : q))
      .orderBy(['t.slug', 'b.slug'])
      .select('b.id', 'b.tenant_id', 'b.slug', 'b.name', 't.slug as tenant_slug');
    return rows.map(
      (r: { id: string; tenant_id: string; slug: string; name: string; tenant_slug: string }) => ({
        id: r.id,
        tenantId: r.tenant_id,
        slug: r.slug,
        name: r.name,
        tenantSlug: r.tenant_slug,
      }),
    );
  }

  findById(id: string) {
    return Branch.query(this.db).findById(id);
  }

  findBySlug(tenantId: string, slug: string) {
    return Branch.query(this.db).findOne({ tenant_id: tenantId, slug });
  }

  create(values: { tenantId: string; slug: string; name: string }) {
    return Branch.query(this.db).insertAndFetch(values);
  }
}
