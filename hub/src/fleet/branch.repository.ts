import type { Database } from '../db/database.js';
import { Branch } from './branch.model.js';

export interface BranchRow extends Pick<
  Branch,
  | 'id'
  | 'tenantId'
  | 'slug'
  | 'name'
  | 'address'
  | 'latitude'
  | 'longitude'
  | 'timeZone'
  | 'criticality'
> {
  tenantSlug: string;
}

/** What a person may change about a branch; the slug is part of agents' MQTT topics. */
export interface BranchPatch {
  name?: string;
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  timeZone?: string;
}

/** What still needs a branch: deleting it would orphan or widen these. */
export interface BranchDependents {
  agents: number;
  openTickets: number;
  /** Users scoped to the branch: without it their scope would become every branch. */
  scopedUsers: number;
}

interface BranchJoinRow {
  id: string;
  tenant_id: string;
  slug: string;
  name: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  time_zone: string;
  criticality: string;
  tenant_slug: string;
}

const OPEN_TICKET_STATES = ['open', 'in_progress', 'answered', 'waiting', 'on_hold'];

export class BranchRepository {
  constructor(private readonly db: Database) {}

  /** Branches with their tenant's slug, optionally of one tenant only. */
  async list(tenantId: string | null): Promise<BranchRow[]> {
    const rows = await this.db('branches as b')
      .join('tenants as t', 't.id', 'b.tenant_id')
      .modify((q) => (tenantId ? q.where('b.tenant_id', tenantId) : q))
      .orderBy(['t.slug', 'b.slug'])
      .select<BranchJoinRow[]>('b.*', 't.slug as tenant_slug');
    return rows.map(toRow);
  }

  async findRow(id: string): Promise<BranchRow | undefined> {
    const row = await this.db('branches as b')
      .join('tenants as t', 't.id', 'b.tenant_id')
      .where('b.id', id)
      .first<BranchJoinRow | undefined>('b.*', 't.slug as tenant_slug');
    return row && toRow(row);
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

  async update(id: string, patch: BranchPatch): Promise<boolean> {
    if (Object.keys(patch).length === 0) return (await this.findById(id)) !== undefined;
    return (await Branch.query(this.db).patch(patch).where('id', id)) > 0;
  }

  /**
   * What still needs the branch, counted with the branch row locked: an agent or ticket added
   * meanwhile waits for the delete (its foreign key takes KEY SHARE) instead of cascading.
   */
  async dependents(id: string): Promise<BranchDependents> {
    await this.db('branches').where({ id }).forUpdate().select('id');
    const count = async (table: string, states?: string[]) =>
      Number(
        (
          await this.db(table)
            .where({ branch_id: id })
            .modify((q) => (states ? q.whereIn('state', states) : q))
            .count<{ n: string }[]>('* as n')
        )[0]!.n,
      );
    // One after another: the counts share the transaction's one connection.
    const agents = await count('agents');
    const openTickets = await count('tickets', OPEN_TICKET_STATES);
    const scopedUsers = await count('user_branches');
    return { agents, openTickets, scopedUsers };
  }

  /**
   * Deletes the branch and the settings that name it without a foreign key (alert rules and
   * maintenance windows scoped to it). Resolved tickets keep their history, without a branch.
   */
  async delete(id: string): Promise<boolean> {
    await this.db('alert_rules').where({ scope: 'branch', scope_id: id }).delete();
    await this.db('maintenance_windows').where({ scope: 'branch', scope_id: id }).delete();
    return (await this.db('branches').where({ id }).delete()) > 0;
  }
}

function toRow(r: BranchJoinRow): BranchRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    slug: r.slug,
    name: r.name,
    address: r.address,
    latitude: r.latitude,
    longitude: r.longitude,
    timeZone: r.time_zone,
    criticality: r.criticality,
    tenantSlug: r.tenant_slug,
  };
}
