import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { ApiTokenRepository } from '../repositories/api-token.repository.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { CredentialRepository } from '../repositories/credential.repository.js';
import { SessionRepository } from '../repositories/session.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { ApiTokenService } from './api-token.service.js';
import { AuditService } from './audit.service.js';
import { AuthService, type LoginPolicy } from './auth.service.js';
import { TwoFactorService } from './two-factor.service.js';

export interface IdentityServices {
  auth: AuthService;
  twoFactor: TwoFactorService;
  apiTokens: ApiTokenService;
  /** `audit.record({ action, actor, target, … })` for other features' sensitive actions. */
  audit: AuditService;
}

/** Builds the identity and audit services (issue 6) for hub.ts, in one call. */
export function createIdentity(
  db: Database,
  users: UserRepository,
  policy: LoginPolicy,
  logger?: Logger,
): IdentityServices {
  const audit = new AuditService(new AuditRepository(db), logger);
  const credentials = new CredentialRepository(db);
  const twoFactor = new TwoFactorService(credentials, audit);
  const apiTokens = new ApiTokenService(new ApiTokenRepository(db), audit);
  const auth = new AuthService(
    users,
    new SessionRepository(db),
    credentials,
    twoFactor,
    apiTokens,
    audit,
    policy,
  );
  return { auth, twoFactor, apiTokens, audit };
}
