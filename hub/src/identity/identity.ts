import type { HubConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../core/logger.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { AuditRepository } from './audit/audit.repository.js';
import { CredentialRepository } from './credential.repository.js';
import { SessionRepository } from './session.repository.js';
import type { UserRepository } from './user.repository.js';
import { SecretBox, loadSecretKey, secretKeyPath } from './secret-box.js';
import { ApiTokenService } from './api-token.service.js';
import { AuditService } from './audit/audit.service.js';
import { AuthService, type LoginPolicy } from './auth.service.js';
import { TwoFactorService } from './two-factor.service.js';
import { PasswordPolicyRepository } from './password-policy.repository.js';
import { PasswordPolicyService } from './password-policy.service.js';
import { RoleRepository } from './role.repository.js';
import { IdentityProviderRepository } from './sso/identity-provider.repository.js';
import { IdentityProviderService } from './sso/identity-provider.service.js';
import { SsoProvisioning } from './sso/provisioning.js';
import { OidcSignIn } from './sso/oidc-sign-in.js';
import { SamlSignIn } from './sso/saml-sign-in.js';
import { SsoSignInRepository } from './sso/sso-sign-in.repository.js';
import { SsoSignInService } from './sso/sso-sign-in.service.js';
import { SignInSettingsService } from './sso/sign-in-settings.js';
import { DirectorySignIn } from './sso/directory-sign-in.js';
import { SsoReportService } from './sso/sso-report.js';
import type { EventBus } from '../core/events.js';
import { BrandingRepository } from './branding/branding.repository.js';
import { BrandingService } from './branding/branding.service.js';

export interface IdentityServices {
  auth: AuthService;
  twoFactor: TwoFactorService;
  apiTokens: ApiTokenService;
  /** The tenants' password policies (length, common passwords, reuse, admin sessions). */
  passwords: PasswordPolicyService;
  /** `audit.record({ action, actor, target, … })` for other features' sensitive actions. */
  audit: AuditService;
  /** A tenant's identity providers (OpenID Connect, SAML, LDAP), docs/sso.md. */
  providers: IdentityProviderService;
  /** Just-in-time users and role mapping at every sign-in through a provider. */
  provisioning: SsoProvisioning;
  /** Password sign-in through a tenant's LDAP directory, and its admin test. */
  directory: DirectorySignIn;
  /** The tenant's "sign in through our provider" rule and break-glass accounts. */
  signInSettings: SignInSettingsService;
  /** Sign-ins, refusals, unused accounts and break-glass uses of a tenant (docs/sso.md). */
  ssoReport: SsoReportService;
  /** Seals the secrets the hub reads back (TOTP, directory passwords, the VAPID key). */
  secrets: SecretBox;
  /** A tenant's product name, accent colour and logo, else the hub's (docs/branding.md). */
  branding: BrandingService;
}

/** Builds the identity and audit services for hub.ts, in one call. */
export function createIdentity(
  db: Database,
  users: UserRepository,
  policy: LoginPolicy,
  secrets: SecretBox,
  logger?: Logger,
  /** Tells live streams that a person's access ended (the directory took it away). */
  events?: EventBus,
): IdentityServices {
  const audit = new AuditService(new AuditRepository(db), logger);
  const credentials = new CredentialRepository(db);
  const twoFactor = new TwoFactorService(credentials, audit, secrets);
  const apiTokens = new ApiTokenService(new ApiTokenRepository(db), audit);
  const passwords = new PasswordPolicyService(new PasswordPolicyRepository(db), audit);
  const providerRepository = new IdentityProviderRepository(db);
  const roles = new RoleRepository(db);
  const provisioning = new SsoProvisioning(db, roles, audit, events);
  const directory = new DirectorySignIn(providerRepository, secrets, provisioning, logger);
  const auth = new AuthService(
    users,
    new SessionRepository(db),
    credentials,
    twoFactor,
    apiTokens,
    audit,
    policy,
    passwords,
    directory,
    db,
  );
  const providers = new IdentityProviderService(providerRepository, roles, secrets, audit);
  const signInSettings = new SignInSettingsService(db, audit);
  return {
    auth,
    twoFactor,
    apiTokens,
    audit,
    passwords,
    providers,
    provisioning,
    directory,
    signInSettings,
    ssoReport: new SsoReportService(db),
    secrets,
    branding: new BrandingService(new BrandingRepository(db), db, audit),
  };
}

/**
 * Loads (or on first start creates) the secret key that seals TOTP secrets, builds the
 * identity services, and seals the secrets an older hub stored in clear.
 */
export async function startIdentity(
  db: Database,
  users: UserRepository,
  config: Pick<HubConfig, 'dataDir' | 'identity'>,
  logger: Logger,
  events?: EventBus,
): Promise<IdentityServices> {
  const { file, configured } = secretKeyPath(config);
  const secrets = new SecretBox(await loadSecretKey(file, !configured));
  const identity = createIdentity(db, users, config.identity, secrets, logger, events);
  const sealed = await identity.twoFactor.sealClearSecrets();
  if (sealed > 0) logger.info({ users: sealed }, 'TOTP secrets stored in clear are now sealed');
  // Said at start rather than only at each user's next sign-in (which answers 503 then).
  const orphaned = await identity.twoFactor.usersSealedWithOtherKey();
  if (orphaned > 0)
    logger.error(
      { users: orphaned, keyFile: file },
      'TOTP secrets were sealed with another key: the secret key file is lost or wrong; ' +
        'restore it from the backup (docs/disaster-recovery.md)',
    );
  return identity;
}

/** Sign-in through the tenants' OpenID Connect and SAML providers (docs/sso.md). */
export function createSsoSignIn(
  db: Database,
  users: UserRepository,
  identity: IdentityServices,
  onFindings?: () => void,
): SsoSignInService {
  const service = new SsoSignInService(
    new IdentityProviderRepository(db),
    identity.providers,
    identity.provisioning,
    new OidcSignIn(identity.providers, new SsoSignInRepository(db)),
    identity.auth,
    identity.audit,
    users,
    new SamlSignIn(new SsoSignInRepository(db), (p) => identity.providers.spKeys(p)),
    new SsoSignInRepository(db),
  );
  service.onFindings = onFindings;
  return service;
}
