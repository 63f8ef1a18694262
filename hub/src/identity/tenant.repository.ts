import type { Database } from '../db/database.js';
import { Tenant } from './tenant.model.js';

export class TenantRepository {
  constructor(private readonly db: Database) {}

  findBySlug(slug: string) {
    return Tenant.query(this.db).findOne({ slug });
  }

  findById(id: string) {
    return Tenant.query(this.db).findById(id);
  }

  list() {
    return Tenant.query(this.db).orderBy('slug');
  }

  /** Creates the tenant unless one with that slug exists; returns it either way. */
  async ensure(slug: string, name: string): Promise<Tenant> {
    await this.db('tenants').insert({ slug, name }).onConflict('slug').ignore();
    return (await this.findBySlug(slug))!;
  }
}
