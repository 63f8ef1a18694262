import {
  CHECK_RULES,
  DEFAULT_CHECK_DEFAULTS,
  checkSpec,
  formatPath,
  resolveCheck,
  type AgentAddress,
  type AgentConfig,
  type CheckSpec,
} from '@branchwatch/contract';
import { apiError, conflict, notFound } from '../http/errors.js';
import type { Check } from './check.model.js';
import type { AgentRepository, AgentRow, ConfigReport } from './agent.repository.js';
import type { CheckRepository, ManagedCheckSpec } from './check.repository.js';
import { parseInput } from '../http/validate.js';

/** Puts an agent's config on its retained config topic. */
export type ConfigPublisher = (address: AgentAddress, config: AgentConfig) => Promise<void>;

/** A change to a managed check; a null interval or timeout goes back to the agent's default. */
export type CheckChange = Partial<
  Omit<ManagedCheckSpec, 'key' | 'intervalSeconds' | 'timeoutSeconds'>
> & {
  intervalSeconds?: number | null | undefined;
  timeoutSeconds?: number | null | undefined;
};

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
    validate(spec, agent);
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
    const merged = { ...specOf(check), ...definedOnly(change) };
    const spec: ManagedCheckSpec = {
      ...merged,
      intervalSeconds: merged.intervalSeconds ?? undefined,
      timeoutSeconds: merged.timeoutSeconds ?? undefined,
    };
    const agent = (await this.agents.findById(check.agentId))!;
    validate(spec, agent);
    const updated = await this.checks.upsertManaged(agent, spec);
    await this.publishConfig(agent);
    return updated;
  }

  async removeCheck(checkId: string, scopeTenantId: string | null): Promise<void> {
    const check = await this.managedCheck(checkId, scopeTenantId);
    // The agent's file has a check of this id: the agent runs the file's again.
    if (check.replacesFile) await this.checks.handBackToFile(check.id, new Date());
    else await this.checks.remove(check.id, new Date());
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

  /** What the agent said about its config on its status topic, and the checks it runs. */
  async recordReport(agentId: string, report: ConfigReport): Promise<void> {
    await this.agents.setConfigReport(agentId, report);
    if (report.checks) await this.checks.reconcileReported(agentId, report.checks, new Date());
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

/**
 * The contract's rules for a check, the same the agent applies (packages/contract/src/checks):
 * a check the hub accepts is one the agent runs. The first problem is answered as a 400 that
 * names its field (`target`, `options.count`), with the agent's own words.
 */
function validate(spec: ManagedCheckSpec, agent: AgentRow): void {
  const wire = parseInput(checkSpec, toCheckSpec(spec));
  const resolved = resolveCheck(wire, agent.config.defaults ?? DEFAULT_CHECK_DEFAULTS);
  if (resolved.ok) return;
  const [first] = resolved.issues;
  const field = formatPath(first!.path);
  throw apiError(400, 'BW_ERR_VALIDATION', `${field}: ${first!.message}`, {
    field,
    ...(field === 'type' ? { allowed: Object.keys(CHECK_RULES) } : {}),
  });
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
    ...(c.intervalSeconds !== undefined ? { intervalSeconds: c.intervalSeconds } : {}),
    ...(c.timeoutSeconds !== undefined ? { timeoutSeconds: c.timeoutSeconds } : {}),
    ...(c.options ? { options: c.options } : {}),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
