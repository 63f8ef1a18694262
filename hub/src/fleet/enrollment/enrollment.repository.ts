import type { Database } from '../../db/database.js';

export interface EnrollmentTokenRow {
  id: string;
  tenantId: string;
  branchId: string;
  agentSlug: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface RolloutGroupRow {
  id: string;
  tenantId: string;
  name: string;
  targetVersion: string | null;
  branchIds: string[];
}

/** Enrollment tokens, rollout groups and agents' update reports (migration 007). */
export class EnrollmentRepository {
  constructor(private readonly db: Database) {}

  async createToken(values: {
    tenantId: string;
    branchId: string;
    tokenHash: string;
    agentSlug: string;
    expiresAt: Date;
    createdBy: string;
  }): Promise<void> {
    await this.db('enrollment_tokens').insert({
      tenant_id: values.tenantId,
      branch_id: values.branchId,
      token_hash: values.tokenHash,
      agent_slug: values.agentSlug,
      expires_at: values.expiresAt,
      created_by: values.createdBy,
    });
  }

  async findToken(tokenHash: string): Promise<EnrollmentTokenRow | undefined> {
    const r = await this.db('enrollment_tokens').where('token_hash', tokenHash).first();
    return r
      ? {
          id: r.id,
          tenantId: r.tenant_id,
          branchId: r.branch_id,
          agentSlug: r.agent_slug,
          expiresAt: r.expires_at,
          usedAt: r.used_at,
        }
      : undefined;
  }

  /**
   * Claims the token, runs `create` (the new agent) while the claim's transaction is open and
   * links the two; if `create` throws, the claim rolls back and the token stays usable.
   * Resolves to undefined when another request used the token first: the conditional UPDATE
   * lets exactly one of two racing enrollments through.
   */
  async consumeToken<T extends { agent: { id: string } }>(
    tokenId: string,
    now: Date,
    create: () => Promise<T>,
  ): Promise<T | undefined> {
    return this.db.transaction(async (trx) => {
      const claimed = await trx('enrollment_tokens')
        .where({ id: tokenId })
        .whereNull('used_at')
        .update({ used_at: now });
      if (claimed !== 1) return undefined;
      const agent = await create();
      await trx('enrollment_tokens').where({ id: tokenId }).update({ agent_id: agent.agent.id });
      return agent;
    });
  }

  async createGroup(tenantId: string, name: string, branchIds: string[]): Promise<string> {
    return this.db.transaction(async (trx) => {
      const [row] = await trx('rollout_groups')
        .insert({ tenant_id: tenantId, name })
        .returning('id');
      if (branchIds.length > 0) {
        await trx('rollout_group_branches')
          .insert(branchIds.map((branch_id) => ({ branch_id, group_id: row.id })))
          .onConflict('branch_id')
          .merge();
      }
      return row.id as string;
    });
  }

  async findGroup(id: string): Promise<RolloutGroupRow | undefined> {
    const r = await this.db('rollout_groups').where({ id }).first();
    if (!r) return undefined;
    const branches = await this.db('rollout_group_branches')
      .where('group_id', id)
      .pluck('branch_id');
    return {
      id: r.id,
      tenantId: r.tenant_id,
      name: r.name,
      targetVersion: r.target_version,
      branchIds: branches,
    };
  }

  async setGroupTarget(id: string, version: string | null): Promise<void> {
    await this.db('rollout_groups').where({ id }).update({ target_version: version });
  }

  /** The version the branch's rollout group targets, if any. */
  async targetVersionForBranch(branchId: string): Promise<string | null> {
    const r = await this.db('rollout_group_branches as m')
      .join('rollout_groups as g', 'g.id', 'm.group_id')
      .where('m.branch_id', branchId)
      .first('g.target_version');
    return r?.target_version ?? null;
  }

  async saveUpdateReport(agentId: string, version: string, state: string, detail: string | null) {
    await this.db('agent_updates')
      .insert({ agent_id: agentId, version, state, detail, reported_at: new Date() })
      .onConflict('agent_id')
      .merge();
  }

  async updateReport(agentId: string) {
    const r = await this.db('agent_updates').where('agent_id', agentId).first();
    return r
      ? {
          version: r.version as string,
          state: r.state as string,
          detail: r.detail as string | null,
          reportedAt: r.reported_at as Date,
        }
      : undefined;
  }
}
