import type { AgentAddress } from '@branchwatch/contract';
import type { Database } from '../db/database.js';

export interface BrokerCredential {
  username: string;
  address: AgentAddress;
  /** Mosquitto's `$7$` hash; null for agents issued before migration 008. */
  brokerPasswordHash: string | null;
}

/** What an external broker needs to know of every agent: who it is and where it may publish. */
export class BrokerAuthRepository {
  constructor(private readonly db: Database) {}

  async listCredentials(): Promise<BrokerCredential[]> {
    const rows = await this.db('agents as a')
      .join('branches as b', 'b.id', 'a.branch_id')
      .join('tenants as t', 't.id', 'a.tenant_id')
      .select<
        {
          username: string;
          broker_password_hash: string | null;
          agent: string;
          branch: string;
          tenant: string;
        }[]
      >(
        'a.username',
        'a.broker_password_hash',
        'a.slug as agent',
        'b.slug as branch',
        't.slug as tenant',
      )
      .orderBy('a.username');
    return rows.map((r) => ({
      username: r.username,
      address: { tenant: r.tenant, branch: r.branch, agent: r.agent },
      brokerPasswordHash: r.broker_password_hash,
    }));
  }
}
