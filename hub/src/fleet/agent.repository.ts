import type { AgentAddress, AgentStatus } from '@branchwatch/contract';
import type { Database } from '../db/database.js';
import { textArray } from '../db/pg-arrays.js';
import { Agent } from './agent.model.js';

/** An agent together with its MQTT subtree address. */
export interface AgentRow {
  id: string;
  tenantId: string;
  branchId: string;
  slug: string;
  name: string;
  username: string;
  online: boolean;
  lastSeenAt: Date | null;
  version: string | null;
  address: AgentAddress;
  config: AgentConfigState;
  /** What the agent last reported about its spool; null before its first report. */
  spool: SpoolReport | null;
}

/** The config the hub pushed, and what the agent last said it runs (its status topic). */
export interface AgentConfigState {
  revision: number;
  appliedRevision: number | null;
  error: string | null;
  /** Every check the agent runs, by source; null before an agent that reports them. */
  checks: ReportedCheck[] | null;
  /** Hub checks the agent refused, with the reason. */
  refused: { id: string; message: string }[];
  /** The schedule of checks that set none; null before the agent says. */
  defaults: { intervalSeconds: number; timeoutSeconds: number } | null;
}

export type ReportedCheck = NonNullable<NonNullable<AgentStatus['config']>['checks']>[number];
export type ConfigReport = NonNullable<AgentStatus['config']>;

export interface SpoolReport {
  pendingBatches: number;
  droppedBatches: number;
  droppedResults: number;
}

export interface AgentCredentialsRow extends AgentRow {
  passwordHash: string;
}

export class AgentRepository {
  constructor(private readonly db: Database) {}

  private base() {
    return this.db('agents as a')
      .join('branches as b', 'b.id', 'a.branch_id')
      .join('tenants as t', 't.id', 'a.tenant_id')
      .select<AgentJoinRow[]>('a.*', 'b.slug as branch_slug', 't.slug as tenant_slug');
  }

  async list(tenantId: string | null): Promise<AgentRow[]> {
    const rows = await this.base()
      .modify((q) => (tenantId ? q.where('a.tenant_id', tenantId) : q))
      .orderBy(['t.slug', 'b.slug', 'a.slug']);
    return rows.map(toRow);
  }

  /** The agents of one branch (the branch's map asks for them; not the tenant's thousands). */
  async listOfBranch(branchId: string): Promise<AgentRow[]> {
    const rows = await this.base().where('a.branch_id', branchId).orderBy('a.slug');
    return rows.map(toRow);
  }

  async findByUsername(username: string): Promise<AgentCredentialsRow | undefined> {
    const row = await this.base().where('a.username', username).first();
    return row ? { ...toRow(row), passwordHash: row.password_hash } : undefined;
  }

  /** The agents of these usernames, by username (those that exist). */
  async findByUsernames(usernames: string[]): Promise<Map<string, AgentCredentialsRow>> {
    // One array parameter rather than one per username: the same statement for any number of
    // usernames, and less for knex and pg to build at each CONNECT's lookup.
    const rows = await this.base().whereRaw('a.username = ANY (?::text[])', [textArray(usernames)]);
    return new Map(
      rows.map((row) => [row.username, { ...toRow(row), passwordHash: row.password_hash }]),
    );
  }

  async create(values: {
    tenantId: string;
    branchId: string;
    slug: string;
    name: string;
    username: string;
    passwordHash: string;
    brokerPasswordHash?: string;
  }): Promise<AgentRow> {
    const agent = await Agent.query(this.db).insertAndFetch(values);
    return (await this.list(agent.tenantId)).find((a) => a.id === agent.id)!;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db('agents').where({ id }).update({ password_hash: passwordHash });
  }

  async setStatus(id: string, online: boolean, at: Date, version: string | null): Promise<void> {
    await Agent.query(this.db)
      .findById(id)
      .patch({ online, lastSeenAt: at, ...(version ? { version } : {}) });
  }

  findById(id: string): Promise<AgentRow | undefined> {
    return this.base()
      .where('a.id', id)
      .first()
      .then((r) => (r ? toRow(r) : undefined));
  }

  /** Raises the agent's config revision and returns the new one. */
  async nextConfigRevision(id: string): Promise<number> {
    const [row] = await this.db('agents')
      .where({ id })
      .increment('config_revision', 1)
      .returning('config_revision');
    return Number(row.config_revision);
  }

  /** Agents the hub has sent a config to: their retained config is published again at start. */
  async listWithConfig(): Promise<AgentRow[]> {
    return (await this.base().where('a.config_revision', '>', 0)).map(toRow);
  }

  async setConfigReport(id: string, report: ConfigReport): Promise<void> {
    await this.db('agents')
      .where({ id })
      .update({
        config_applied_revision: report.revision,
        config_error: report.error?.message ?? null,
        config_refused: JSON.stringify(report.refused ?? []),
        // An agent that does not list its checks keeps what was known of them.
        ...(report.checks ? { config_checks: JSON.stringify(report.checks) } : {}),
        ...(report.defaults ? { config_defaults: JSON.stringify(report.defaults) } : {}),
      });
  }

  async setSpoolReport(id: string, spool: SpoolReport): Promise<void> {
    await this.db('agents').where({ id }).update({
      spool_pending_batches: spool.pendingBatches,
      spool_dropped_batches: spool.droppedBatches,
      spool_dropped_results: spool.droppedResults,
    });
  }

  /** At start no agent is connected to this hub's broker, whatever the table said before. */
  async markAllOffline(): Promise<void> {
    await Agent.query(this.db).patch({ online: false }).where('online', true);
  }
}

interface AgentJoinRow {
  id: string;
  tenant_id: string;
  branch_id: string;
  slug: string;
  name: string;
  username: string;
  password_hash: string;
  online: boolean;
  last_seen_at: Date | null;
  version: string | null;
  config_revision: number;
  config_applied_revision: number | null;
  config_error: string | null;
  config_checks: ReportedCheck[] | null;
  config_refused: { id: string; message: string }[] | null;
  config_defaults: AgentConfigState['defaults'];
  spool_pending_batches: number | null;
  spool_dropped_batches: number | null;
  spool_dropped_results: number | null;
  tenant_slug: string;
  branch_slug: string;
}

function toRow(r: AgentJoinRow): AgentRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    branchId: r.branch_id,
    slug: r.slug,
    name: r.name,
    username: r.username,
    online: r.online,
    lastSeenAt: r.last_seen_at,
    version: r.version,
    address: { tenant: r.tenant_slug, branch: r.branch_slug, agent: r.slug },
    config: {
      revision: r.config_revision,
      appliedRevision: r.config_applied_revision,
      error: r.config_error,
      checks: r.config_checks,
      refused: r.config_refused ?? [],
      defaults: r.config_defaults,
    },
    spool:
      r.spool_pending_batches === null
        ? null
        : {
            pendingBatches: r.spool_pending_batches,
            droppedBatches: r.spool_dropped_batches ?? 0,
            droppedResults: r.spool_dropped_results ?? 0,
          },
  };
}
