import { mqttClientId } from '@branchwatch/contract';
import { stringify } from 'yaml';
import { conflict, notFound } from '../http/errors.js';
import { assertSlug } from '../http/slug.js';
import type {
  AgentCredentialsRow,
  AgentRepository,
  AgentRow,
  SpoolReport,
} from './agent.repository.js';
import type { BranchRepository } from './branch.repository.js';
import { mosquittoHash } from '../identity/mosquitto-password.js';
import { hashAgentSecret, verifyAgentSecret } from '../identity/agent-secret.js';
import { randomSecret } from '../core/random-secret.js';
import { CoalescedLookup } from '../core/coalesced-lookup.js';

export interface NewAgent {
  branchId: string;
  slug: string;
  name?: string;
}

export interface IssuedAgent {
  agent: AgentRow;
  credentials: { username: string; password: string };
  /** A ready agent config file (YAML) with the credentials; the password is shown only here. */
  config: string;
}

export class AgentService {
  /**
   * Agents looked up for MQTT logins: the CONNECTs of a reconnecting fleet share queries
   * (docs/benchmarks.md, "Hub fleet").
   */
  private readonly logins: CoalescedLookup<string, AgentCredentialsRow>;

  constructor(
    private readonly agents: AgentRepository,
    private readonly branches: BranchRepository,
  ) {
    this.logins = new CoalescedLookup((usernames) => agents.findByUsernames(usernames));
  }

  list(tenantId: string | null) {
    return this.agents.list(tenantId);
  }

  async create(
    input: NewAgent,
    scopeTenantId: string | null,
    mqttUrl: string,
  ): Promise<IssuedAgent> {
    assertSlug(input.slug);
    const branch = await this.branches.findById(input.branchId);
    if (!branch || (scopeTenantId && branch.tenantId !== scopeTenantId)) {
      throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${input.branchId} does not exist`);
    }
    const [tenantBranch] = (await this.branches.list(branch.tenantId)).filter(
      (b) => b.id === branch.id,
    );
    const address = { tenant: tenantBranch!.tenantSlug, branch: branch.slug, agent: input.slug };
    const username = mqttClientId(address);
    if (await this.agents.findByUsername(username)) {
      throw conflict(`agent ${input.slug} already exists in branch ${branch.slug}`);
    }
    const password = randomSecret(24);
    const agent = await this.agents.create({
      tenantId: branch.tenantId,
      branchId: branch.id,
      slug: input.slug,
      name: input.name ?? input.slug,
      username,
      passwordHash: hashAgentSecret(password),
      // For an external broker's password file (pnpm hub:mosquitto-auth).
      brokerPasswordHash: await mosquittoHash(password),
    });
    const config = stringify({
      hub: { url: mqttUrl, username, password },
      agent: { tenant: address.tenant, branch: address.branch, id: address.agent },
      spool: { dir: './spool' },
    });
    return { agent, credentials: { username, password }, config: configFile(agent.name, config) };
  }

  /** The agent these MQTT credentials belong to, or undefined. */
  async authenticate(username: string, password: string): Promise<AgentRow | undefined> {
    const agent = await this.logins.get(username);
    if (!agent) return undefined;
    const { ok, upgrade } = await verifyAgentSecret(password, agent.passwordHash);
    if (!ok) return undefined;
    // Hashes of earlier versions (argon2id) are replaced at the first successful login.
    if (upgrade) await this.agents.setPasswordHash(agent.id, hashAgentSecret(password));
    const { passwordHash, ...row } = agent;
    return row;
  }

  recordSpool(agentId: string, spool: SpoolReport) {
    return this.agents.setSpoolReport(agentId, spool);
  }

  setStatus(agentId: string, online: boolean, at: Date, version: string | null) {
    return this.agents.setStatus(agentId, online, at, version);
  }
}

/** The agent config file as issued: the settings, then an example of the checks to add. */
function configFile(name: string, settings: string): string {
  return [
    `# Branchwatch agent "${name}". The password is shown only once: keep this file safe.`,
    settings.trimEnd(),
    '# Add the checks to run, then: branchwatch-agent run --config <this file>',
    '# checks:',
    '#   - id: gateway',
    '#     type: icmp',
    '#     target: 192.168.1.1',
    '#   - id: pbx-sip',
    '#     type: tcp',
    '#     target: 192.168.1.20:5060',
    '',
  ].join('\n');
}
