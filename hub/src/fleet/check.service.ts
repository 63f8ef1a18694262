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
    const [checks, agents] = await Promise.all([
      this.checks.list(tenantId),
      this.agents.list(tenantId),
    ]);
    const byId = new Map(agents.map((a) => [a.id, a]));
    return checks.map((check) => ({ check, agent: byId.get(check.agentId) }));
  }
}
