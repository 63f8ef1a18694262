import type { Database } from '../db/database.js';
import { Tenant } from './tenant.model.js';

/** What still belongs to a tenant and would go with it. */
export interface TenantDependents {
  branches: number;
  users: number;
  tickets: number;
}

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

  async rename(id: string, name: string): Promise<boolean> {
    return (await this.db('tenants').where({ id }).update({ name })) > 0;
  }

  /** Counted with the tenant row locked, so nothing is added to it while it is deleted. */
  async dependents(id: string): Promise<TenantDependents> {
    await this.db('tenants').where({ id }).forUpdate().select('id');
    const count = async (table: string) =>
      Number(
        (await this.db(table).where({ tenant_id: id }).count<{ n: string }[]>('* as n'))[0]!.n,
      );
    // One after another: the counts share the transaction's one connection.
    const branches = await count('branches');
    const users = await count('users');
    const tickets = await count('tickets');
    return { branches, users, tickets };
  }

  /** Deletes the tenant; its remaining settings (roles, rules, calendars, …) cascade. */
  async delete(id: string): Promise<boolean> {
    return (await this.db('tenants').where({ id }).delete()) > 0;
  }
}
