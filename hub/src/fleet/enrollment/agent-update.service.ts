import { apiError, notFound } from '../../http/errors.js';
import type { AgentRow } from '../agent.repository.js';
import type { BranchRepository } from '../branch.repository.js';
import type { EnrollmentRepository } from './enrollment.repository.js';
import type { AgentService } from '../agent.service.js';
import type { Release, ReleaseStore } from './release-store.js';
import type { SessionUser } from '../../http/request-state.js';

export const UPDATE_STATES = ['installing', 'applied', 'refused', 'rolled-back', 'failed'] as const;

/**
 * Staged agent updates: releases in the ReleaseStore, a rollout group of branches
 * targets one version, and each agent asks which version it should run. Agents authenticate
 * with their own MQTT credentials (HTTP Basic).
 */
export class AgentUpdateService {
  constructor(
    private readonly store: ReleaseStore,
    private readonly repo: EnrollmentRepository,
    private readonly branches: BranchRepository,
    private readonly agents: AgentService,
  ) {}

  /** The agent these Basic credentials belong to; 401 otherwise. */
  async authenticate(authorization: string): Promise<AgentRow> {
    const match = /^Basic\s+(\S+)$/i.exec(authorization);
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString() : '';
    const colon = decoded.indexOf(':');
    const agent =
      colon > 0
        ? await this.agents.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1))
        : undefined;
    if (!agent)
      throw apiError(401, 'BW_ERR_UNAUTHENTICATED', 'agent credentials required (HTTP Basic)');
    return agent;
  }

  /** The release this agent should run, or null to stay as it is. */
  async target(agent: AgentRow, platform: string): Promise<Omit<Release, 'file'> | null> {
    const version = await this.repo.targetVersionForBranch(agent.branchId);
    if (!version) return null;
    const release = await this.store.get(version, platform);
    if (!release) return null;
    const { file: _file, ...rest } = release;
    return rest;
  }

  report(agent: AgentRow, input: { version: string; state: string; detail?: string | undefined }) {
    return this.repo.saveUpdateReport(agent.id, input.version, input.state, input.detail ?? null);
  }

  lastReport(agentId: string) {
    return this.repo.updateReport(agentId);
  }

  upload(version: string, platform: string, binary: Buffer, signature: string) {
    return this.store.put(version, platform, binary, signature);
  }

  listReleases() {
    return this.store.list();
  }

  release(version: string, platform: string) {
    return this.store.get(version, platform);
  }

  latestDeb(debArch: string) {
    return this.store.latestDeb(debArch);
  }

  async createGroup(
    user: SessionUser,
    input: { name: string; tenantId?: string; branchIds: string[] },
  ) {
    let tenantId = user.tenantId ?? input.tenantId;
    for (const id of input.branchIds) {
      const branch = await this.branches.findById(id);
      if (!branch || (tenantId && branch.tenantId !== tenantId)) {
        throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${id} does not exist`);
      }
      tenantId = branch.tenantId;
    }
    if (!tenantId) throw apiError(400, 'BW_ERR_VALIDATION', 'a group needs a tenant or a branch');
    return this.repo.findGroup(await this.repo.createGroup(tenantId, input.name, input.branchIds));
  }

  /** Targets a group at a version (null: stop rolling out); the release must exist. */
  async setTarget(user: SessionUser, groupId: string, version: string | null) {
    const group = await this.repo.findGroup(groupId);
    if (!group || (user.tenantId && group.tenantId !== user.tenantId)) {
      throw notFound('BW_ERR_NOT_FOUND', `rollout group ${groupId} does not exist`);
    }
    if (version !== null && !(await this.store.list()).some((r) => r.version === version)) {
      throw apiError(400, 'BW_ERR_VALIDATION', `no release ${version} in the release store`, {
        field: 'targetVersion',
      });
    }
    await this.repo.setGroupTarget(groupId, version);
    return { ...group, targetVersion: version };
  }
}
