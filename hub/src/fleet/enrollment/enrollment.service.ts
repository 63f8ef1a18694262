import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { apiError, notFound } from '../../http/errors.js';
import type { BranchRepository } from '../branch.repository.js';
import type { EnrollmentRepository } from './enrollment.repository.js';
import type { AgentService, IssuedAgent } from '../agent.service.js';
import { assertSlug } from '../../http/slug.js';
import type { SessionUser } from '../../http/request-state.js';
import { randomSecret } from '../../core/random-secret.js';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
  branchId: string;
  agentSlug: string;
  /** One line for the admin pages: installs the package and enrolls on a fresh server. */
  installCommand: string;
  /** For a server that already has the package. */
  enrollCommand: string;
}

const DEFAULT_TTL_MINUTES = 24 * 60;

/**
 * One-time enrollment tokens: an admin makes one for a branch; the branch server
 * trades it once, before it expires, for its own agent and credentials. Only the token's
 * SHA-256 is stored; the token is shown once.
 */
export class EnrollmentService {
  constructor(
    private readonly tokens: EnrollmentRepository,
    private readonly branches: BranchRepository,
    private readonly agents: AgentService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createToken(
    user: SessionUser,
    input: { branchId: string; agentSlug?: string; expiresInMinutes?: number },
    hubOrigin: string,
  ): Promise<IssuedToken> {
    const branch = await this.branches.findById(input.branchId);
    if (!branch || (user.tenantId && branch.tenantId !== user.tenantId)) {
      throw notFound('BW_ERR_BRANCH_NOT_FOUND', `branch ${input.branchId} does not exist`);
    }
    const agentSlug =
      input.agentSlug ??
      `agent-${randomSecret(3)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')}`;
    assertSlug(agentSlug);
    const token = `bwe_${randomSecret(24)}`;
    const expiresAt = new Date(
      this.now().getTime() + (input.expiresInMinutes ?? DEFAULT_TTL_MINUTES) * 60_000,
    );
    await this.tokens.createToken({
      tenantId: branch.tenantId,
      branchId: branch.id,
      tokenHash: hashToken(token),
      agentSlug,
      expiresAt,
      createdBy: user.id,
    });
    return {
      token,
      expiresAt,
      branchId: branch.id,
      agentSlug,
      installCommand: `curl -fsSL ${hubOrigin}/install.sh | sudo sh -s -- --token ${token}`,
      enrollCommand: `sudo branchwatch-agent enroll --hub ${hubOrigin} --token ${token}`,
    };
  }

  /** Trades a token for a new agent; the token cannot be used again. */
  async enroll(
    token: string,
    name: string | undefined,
    mqttUrl: string,
    hubOrigin: string,
  ): Promise<IssuedAgent> {
    const row = await this.tokens.findToken(hashToken(token));
    if (!row) throw refused('unknown', 'this enrollment token is not valid');
    if (row.usedAt)
      throw refused('used', 'this enrollment token has already been used; make a new one');
    if (row.expiresAt.getTime() <= this.now().getTime()) {
      throw refused(
        'expired',
        `this enrollment token expired at ${row.expiresAt.toISOString()}; make a new one`,
      );
    }
    const issued = await this.tokens.consumeToken(row.id, this.now(), () =>
      this.agents.create(
        { branchId: row.branchId, slug: row.agentSlug, ...(name ? { name } : {}) },
        row.tenantId,
        mqttUrl,
      ),
    );
    if (!issued)
      throw refused('used', 'this enrollment token has already been used; make a new one');
    return { ...issued, config: withUpdates(issued.config, hubOrigin) };
  }
}

/** The issued config plus the hub address agents check for signed updates at. */
function withUpdates(config: string, hubOrigin: string): string {
  const doc = parseDocument(config);
  doc.set('update', { url: hubOrigin });
  return doc.toString();
}

// Not a session: the token is the credential, and a refusal says which way it failed.
const refused = (reason: 'unknown' | 'used' | 'expired', message: string) =>
  apiError(401, 'BW_ERR_UNAUTHENTICATED', message, { reason });

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
