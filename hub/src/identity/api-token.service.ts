import { createHash } from 'node:crypto';
import { apiError } from '../http/errors.js';
import type { ApiTokenRepository, ApiTokenRow } from './api-token.repository.js';
import { touchDue } from './session.repository.js';
import { isPermission } from './permissions.js';
import type { AuditService } from './audit/audit.service.js';
import { randomSecret } from '../core/random-secret.js';

/**
 * Personal API tokens for integrations: `bw_pat_<random>`, shown once, stored as SHA-256 (the
 * token is 256 random bits, so a fast hash is enough). Scopes are permission names
 * (identity/permissions.ts); a request with a token gets the intersection of the token's
 * scopes and its owner's permissions at the time of the request.
 */
export const API_TOKEN_PREFIX = 'bw_pat_';

export interface TokenOwner {
  id: string;
  username: string;
  tenantId: string | null;
}

export class ApiTokenService {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly audit: AuditService,
  ) {}

  isApiToken(token: string): boolean {
    return token.startsWith(API_TOKEN_PREFIX);
  }

  async create(
    owner: TokenOwner,
    input: { name: string; scopes: string[]; expiresAt: Date | null },
    ip: string | null,
  ): Promise<{ token: string; apiToken: ApiTokenRow }> {
    const unknown = input.scopes.filter((s) => !isPermission(s));
    if (unknown.length > 0) {
      throw apiError(400, 'BW_ERR_VALIDATION', `unknown scopes: ${unknown.join(', ')}`);
    }
    if (input.expiresAt && input.expiresAt <= new Date()) {
      throw apiError(400, 'BW_ERR_VALIDATION', 'expiresAt must be in the future');
    }
    const token = API_TOKEN_PREFIX + randomSecret(32);
    const apiToken = await this.tokens.create({
      userId: owner.id,
      name: input.name,
      tokenHash: hashApiToken(token),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt,
    });
    await this.audit.record({
      action: 'api_token.created',
      actor: owner,
      target: `api_token:${apiToken.id}`,
      tenantId: owner.tenantId,
      ip,
      details: { name: apiToken.name, scopes: apiToken.scopes },
    });
    return { token, apiToken };
  }

  list(ownerId: string): Promise<ApiTokenRow[]> {
    return this.tokens.listForUser(ownerId);
  }

  /** The owner (or an admin, `mayManageOthers`) revokes; revoked tokens stop at once. */
  async revoke(actor: TokenOwner, id: string, mayManageOthers: boolean, ip: string | null) {
    const found = await this.tokens.findById(id);
    if (!found || (found.userId !== actor.id && !mayManageOthers)) {
      throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such API token');
    }
    if (!(await this.tokens.revoke(id, new Date()))) return;
    await this.audit.record({
      action: 'api_token.revoked',
      actor,
      target: `api_token:${id}`,
      tenantId: actor.tenantId,
      ip,
      details: { name: found.name, owner: found.userId },
    });
  }

  /** The owner and scopes of a usable token; marks it used. */
  async authenticate(token: string): Promise<{ userId: string; scopes: string[] } | undefined> {
    const now = new Date();
    const found = await this.tokens.findUsable(hashApiToken(token), now);
    if (!found) return undefined;
    if (touchDue(found.lastUsedAt, now)) await this.tokens.touch(found.id, now);
    return { userId: found.userId, scopes: found.scopes };
  }
}

const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex');
