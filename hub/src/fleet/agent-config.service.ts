import {
  PROBE_TYPES,
  checkSpec,
  type AgentAddress,
  type AgentConfig,
  type CheckSpec,
} from '@branchwatch/contract';
import { apiError, conflict, notFound } from '../http/errors.js';
import type { Check } from './check.model.js';
import type { AgentRepository, AgentRow } from './agent.repository.js';
import type { CheckRepository, ManagedCheckSpec } from './check.repository.js';
import { parseInput } from '../http/validate.js';

/** Puts an agent's config on its retained config topic. */
export type ConfigPublisher = (address: AgentAddress, config: AgentConfig) => Promise<void>;

export type CheckChange = Partial<Omit<ManagedCheckSpec, 'key'>>;

/**
 * Checks defined through the API, handed to the agent as its retained config. Every change
 * raises the agent's config revision; the agent reports on its status topic which revision it
 * applied, or why it refused one (it then keeps running the previous checks).
 */
export class AgentConfigService {
  constructor(
    private readonly agents: AgentRepository,
    private readonly checks: CheckRepository,
    private readonly publish: ConfigPublisher,
  ) {}

  async addCheck(agentId: string, spec: ManagedCheckSpec, scopeTenantId: string | null) {
    const agent = await this.agentInScope(agentId, scopeTenantId);
    validate(spec);
    const existing = await this.checks.findByKey(agent.id, spec.key);
    if (existing?.managed && !existing.removedAt) {
      throw conflict(`agent ${agent.slug} already has a check ${spec.key}`);
    }
    const check = await this.checks.upsertManaged(agent, spec);
    await this.publishConfig(agent);
    return check;
  }

  async changeCheck(checkId: string, change: CheckChange, scopeTenantId: string | null) {
    const check = await this.managedCheck(checkId, scopeTenantId);
    const spec = { ...specOf(check), ...definedOnly(change) };
    validate(spec);
    const agent = (await this.agents.findById(check.agentId))!;
    const updated = await this.checks.upsertManaged(agent, spec);
    await this.publishConfig(agent);
    return updated;
  }

  async removeCheck(checkId: string, scopeTenantId: string | null): Promise<void> {
    const check = await this.managedCheck(checkId, scopeTenantId);
    await this.checks.remove(check.id, new Date());
    await this.publishConfig((await this.agents.findById(check.agentId))!);
  }

  async configOf(agentId: string, scopeTenantId: string | null) {
    const agent = await this.agentInScope(agentId, scopeTenantId);
    return { config: await this.build(agent, agent.config.revision), report: agent.config };
  }

  /** The broker keeps retained messages in memory: at start, hand every agent its config again. */
  async publishAll(): Promise<void> {
    for (const agent of await this.agents.listWithConfig()) {
      await this.publish(agent.address, await this.build(agent, agent.config.revision));
    }
  }

  /** What the agent said about its config on its status topic. */
  recordReport(agentId: string, report: { revision: number | null; error?: { message: string } }) {
    return this.agents.setConfigReport(agentId, report.revision, report.error?.message ?? null);
  }

  private async publishConfig(agent: AgentRow): Promise<void> {
    const revision = await this.agents.nextConfigRevision(agent.id);
    await this.publish(agent.address, await this.build(agent, revision));
  }

  private async build(agent: AgentRow, revision: number): Promise<AgentConfig> {
    const checks = await this.checks.listManaged(agent.id);
    return { v: 1, revision, checks: checks.map((c) => toCheckSpec(specOf(c))) };
  }

  private async agentInScope(agentId: string, scopeTenantId: string | null): Promise<AgentRow> {
    const agent = await this.agents.findById(agentId);
    if (!agent || (scopeTenantId && agent.tenantId !== scopeTenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `agent ${agentId} does not exist`);
    }
    return agent;
  }

  private async managedCheck(checkId: string, scopeTenantId: string | null): Promise<Check> {
    const check = await this.checks.findById(checkId);
    if (!check || check.removedAt || (scopeTenantId && check.tenantId !== scopeTenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `check ${checkId} does not exist`);
    }
    if (!check.managed) {
      throw apiError(
        409,
        'BW_ERR_CONFLICT',
        `check ${check.key} comes from the agent's own config file; add it through the API to manage it here`,
      );
    }
    return check;
  }
}

/** The contract's own rules for a check, plus a type the contract knows. */
function validate(spec: ManagedCheckSpec): void {
  parseInput(checkSpec, toCheckSpec(spec));
  if (!PROBE_TYPES.includes(spec.type)) {
    throw apiError(400, 'BW_ERR_VALIDATION', `type: unknown probe type "${spec.type}"`, {
      field: 'type',
      allowed: PROBE_TYPES,
    });
  }
}

function specOf(check: Check): ManagedCheckSpec {
  return {
    key: check.key,
    type: check.type,
    target: check.target,
    intervalSeconds: check.intervalSeconds ?? undefined,
    timeoutSeconds: check.timeoutSeconds ?? undefined,
    options: check.options ?? undefined,
  };
}

function toCheckSpec(c: ManagedCheckSpec): CheckSpec {
  return {
    id: c.key,
    type: c.type,
    target: c.target,
    ...(c.intervalSeconds ? { intervalSeconds: c.intervalSeconds } : {}),
    ...(c.timeoutSeconds ? { timeoutSeconds: c.timeoutSeconds } : {}),
    ...(c.options ? { options: c.options } : {}),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
