import type { Database } from '../db/database.js';
import { Check } from './check.model.js';

export interface ManagedCheckSpec {
  key: string;
  type: string;
  target: string;
  intervalSeconds?: number | undefined;
  timeoutSeconds?: number | undefined;
  options?: Record<string, unknown> | undefined;
}

export class CheckRepository {
  constructor(private readonly db: Database) {}

  list(tenantId: string | null) {
    return Check.query(this.db)
      .whereNull('removed_at')
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .orderBy(['agent_id', 'key']);
  }

  /** The checks the hub hands to an agent, in a stable order. */
  listManaged(agentId: string) {
    return Check.query(this.db)
      .where({ agent_id: agentId, managed: true })
      .whereNull('removed_at')
      .orderBy('key');
  }

  findByKey(agentId: string, key: string) {
    return Check.query(this.db).findOne({ agent_id: agentId, key });
  }

  /** Creates a managed check, or takes over one the agent reported from its own file. */
  async upsertManaged(
    agent: { id: string; tenantId: string; branchId: string },
    spec: ManagedCheckSpec,
  ): Promise<Check> {
    const values = {
      type: spec.type,
      target: spec.target,
      interval_seconds: spec.intervalSeconds ?? null,
      timeout_seconds: spec.timeoutSeconds ?? null,
      options: spec.options ? JSON.stringify(spec.options) : null,
      managed: true,
      removed_at: null,
    };
    await this.db('checks')
      .insert({
        tenant_id: agent.tenantId,
        branch_id: agent.branchId,
        agent_id: agent.id,
        key: spec.key,
        ...values,
      })
      .onConflict(['agent_id', 'key'])
      .merge(values);
    return (await this.findByKey(agent.id, spec.key))!;
  }

  async remove(id: string, at: Date): Promise<void> {
    await Check.query(this.db).findById(id).patch({ managed: false, removedAt: at });
  }

  findById(id: string) {
    return Check.query(this.db).findById(id);
  }

  /** Checks of `state`, for reconciling tickets after a restart. */
  listInState(state: Check['state']) {
    return Check.query(this.db).where({ state });
  }
}
