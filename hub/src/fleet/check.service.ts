import type { AgentRepository, AgentRow } from './agent.repository.js';
import type { Check } from './check.model.js';
import type { CheckRepository } from './check.repository.js';

export class CheckService {
  constructor(
    private readonly checks: CheckRepository,
    private readonly agents: Pick<AgentRepository, 'list'>,
  ) {}

  /** The tenant's checks, each with the agent it runs on (for what the agent says of it). */
  async list(tenantId: string | null): Promise<{ check: Check; agent: AgentRow | undefined }[]> {
    // One after another: inside a request both run on its transaction's one connection.
    const checks = await this.checks.list(tenantId);
    const agents = await this.agents.list(tenantId);
    const byId = new Map(agents.map((a) => [a.id, a]));
    return checks.map((check) => ({ check, agent: byId.get(check.agentId) }));
  }
}
