import type { AgentEvent, Inventory } from '@branchwatch/contract';
import { notFound } from '../http/errors.js';
import type { AgentRepository, AgentRow } from './agent.repository.js';
import type { BranchRepository } from './branch.repository.js';
import type { DiscoveryRepository } from './discovery.repository.js';

/** What agents discover at their branch and what they forward as it happens. */
export class DiscoveryService {
  constructor(
    private readonly discovery: DiscoveryRepository,
    private readonly agents: AgentRepository,
    private readonly branches: BranchRepository,
  ) {}

  recordInventory(agent: AgentRow, inventory: Inventory): Promise<void> {
    return this.discovery.replaceInventory(agent.id, inventory);
  }

  /** The agent's disconnections and reconnections, newest first (its outages). */
  async connections(agentId: string, scopeTenantId: string | null, limit: number) {
    const agent = await this.agents.findById(agentId);
    if (!agent || (scopeTenantId && agent.tenantId !== scopeTenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `agent ${agentId} does not exist`);
    }
    return this.discovery.connections(agentId, limit);
  }

  recordEvents(agent: AgentRow, events: AgentEvent[]): Promise<void> {
    return this.discovery.addEvents(agent, events);
  }

  /** A branch's devices and LLDP links, as its agents last reported them. */
  async branchTopology(branchId: string, scopeTenantId: string | null) {
    const branch = await this.branches.findById(branchId);
    if (!branch || (scopeTenantId && branch.tenantId !== scopeTenantId)) {
      throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${branchId} does not exist`);
    }
    const agents = await this.agents.listOfBranch(branch.id);
    const { devices, links } = await this.discovery.topology(agents.map((a) => a.id));
    return {
      branch: { id: branch.id, slug: branch.slug, name: branch.name },
      agents: agents.map((a) => ({ id: a.id, slug: a.slug, name: a.name, online: a.online })),
      devices,
      links,
    };
  }

  events(scopeTenantId: string | null, agentId: string | undefined, limit: number) {
    return this.discovery.events({ tenantId: scopeTenantId, agentId, limit });
  }
}
