import type { Database } from '../db/database.js';
import type { ReportedCheck } from './agent.repository.js';
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

  /**
   * Creates a managed check, or takes over one the agent reported from its own file: the
   * agent then runs the hub's version in place of the file's (`replacesFile`).
   */
  async upsertManaged(
    agent: { id: string; tenantId: string; branchId: string },
    spec: ManagedCheckSpec,
  ): Promise<Check> {
    const existing = await this.findByKey(agent.id, spec.key);
    const fromFile = existing !== undefined && !existing.managed && !existing.removedAt;
    const values = {
      ...(existing && !existing.removedAt ? {} : { active_since: new Date() }),
      ...(existing?.managed && !existing.removedAt ? {} : { replaces_file: fromFile }),
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
    await Check.query(this.db)
      .findById(id)
      .patch({ managed: false, replacesFile: false, removedAt: at, staleSince: null });
  }

  /** A hub check that replaced a file check is removed: the agent runs the file's again. */
  async handBackToFile(id: string, at: Date): Promise<void> {
    await Check.query(this.db)
      .findById(id)
      .patch({ managed: false, replacesFile: false, activeSince: at, staleSince: null });
  }

  /**
   * Brings an agent's checks in line with what it says it runs: file checks it no longer runs
   * are removed, removed ones it runs again come back, and each listed check gets the interval
   * the agent runs it at. Checks that never reported have no row yet; their first result
   * makes one.
   */
  async reconcileReported(agentId: string, reported: ReportedCheck[], at: Date): Promise<void> {
    const listed = new Map(reported.map((c) => [c.id, c]));
    const rows = await Check.query(this.db).where({ agent_id: agentId });
    const gone = rows.filter((c) => !c.managed && !c.removedAt && !listed.has(c.key));
    const back = rows.filter((c) => c.removedAt && listed.get(c.key)?.source === 'file');
    if (gone.length > 0) {
      await Check.query(this.db)
        .whereIn(
          'id',
          gone.map((c) => c.id),
        )
        .patch({ removedAt: at, staleSince: null });
    }
    if (back.length > 0) {
      await Check.query(this.db)
        .whereIn(
          'id',
          back.map((c) => c.id),
        )
        .patch({ removedAt: null, managed: false, replacesFile: false, activeSince: at });
    }
    const known = rows.filter((c) => listed.has(c.key));
    if (known.length === 0) return;
    await this.db.raw(
      `UPDATE checks SET reported_interval_seconds = u.interval,
         replaces_file = CASE WHEN checks.managed THEN u.replaces ELSE false END
       FROM unnest(?::uuid[], ?::real[], ?::boolean[]) AS u(id, interval, replaces)
       WHERE checks.id = u.id`,
      [
        known.map((c) => c.id),
        known.map((c) => listed.get(c.key)!.intervalSeconds),
        known.map((c) => listed.get(c.key)!.replacesFile === true),
      ],
    );
  }

  findById(id: string) {
    return Check.query(this.db).findById(id);
  }

  /** Checks of `state`, for reconciling tickets after a restart. */
  listInState(state: Check['state']) {
    return Check.query(this.db).where({ state });
  }
}
