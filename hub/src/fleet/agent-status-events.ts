import type { EventBus } from '../core/events.js';
import type { AgentRepository } from './agent.repository.js';
import type { BranchRepository } from './branch.repository.js';
import { AgentService } from './agent.service.js';

/**
 * The agent service as the brokers see it, telling the rest of the hub when an agent comes
 * and goes (`agent.statusChanged`): root cause needs the last will (docs/architecture.md "Alerts become
 * tickets"). Both the embedded and the external broker report status through `setStatus`,
 * so emitting here covers both.
 */
export class AgentStatusEvents extends AgentService {
  constructor(
    agents: AgentRepository,
    branches: BranchRepository,
    private readonly events: EventBus,
  ) {
    super(agents, branches);
  }

  override async setStatus(agentId: string, online: boolean, at: Date, version: string | null) {
    await super.setStatus(agentId, online, at, version);
    await this.events.emit('agent.statusChanged', { agentId, online, at });
  }
}
