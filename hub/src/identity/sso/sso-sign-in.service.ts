import { apiError } from '../../http/errors.js';
import type { AuthService, ClientInfo, LoginResult, SsoSessionInfo } from '../auth.service.js';
import type {
  IdentityProviderRepository,
  IdentityProviderRow,
} from './identity-provider.repository.js';
import type { IdentityProviderService } from './identity-provider.service.js';
import type { OidcSignIn } from './oidc-sign-in.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SsoProvisioning } from './provisioning.js';
import { mfaProven } from './role-mapping.js';
import { ssoUrls } from './sso-urls.js';
import type { UserRepository } from '../user.repository.js';
import type { RefusalReason } from './provisioning.js';

/** A provider as the login page shows it: a button. */
export interface LoginOption {
  id: string;
  name: string;
  kind: 'oidc' | 'saml';
  /** Where the button goes (the hub, which sends the person on to the provider). */
  loginUrl: string;
}

/**
 * Signing in through a tenant's identity provider (docs/sso.md), from the login page's
 * buttons and e-mail routing to the session: the provider's answer checked (oidc-sign-in.ts),
 * the person found or made and their role mapped (sso-accounts.ts), the hub's TOTP when the
 * provider's MFA is not trusted or not proven (AuthService.ssoLogin).
 */
export class SsoSignInService {
  constructor(
    private readonly repo: IdentityProviderRepository,
    private readonly providers: IdentityProviderService,
    private readonly provisioning: SsoProvisioning,
    private readonly oidc: OidcSignIn,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly users: UserRepository,
  ) {}

  /** The enabled providers of a tenant, by its slug (its login page's buttons). */
  async optionsOf(tenantSlug: string): Promise<LoginOption[]> {
    return (await this.repo.listEnabledForTenantSlug(tenantSlug)).flatMap(option);
  }

  /** The provider an address's domain signs in through; null: the password form. */
  async optionFor(email: string): Promise<LoginOption | null> {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    const found = domain ? await this.repo.findByDomain(domain) : undefined;
    return found ? (option(found)[0] ?? null) : null;
  }

  /** The provider's address to send the person to. */
  async start(providerId: string, origin: string): Promise<string> {
    const provider = await this.usable(providerId);
    return (await this.oidc.begin(provider, ssoUrls(origin, provider.id).oidcCallback)).toString();
  }

  /** The provider's answer: a session, or the hub's second factor first. */
  async finish(
    providerId: string,
    callbackUrl: URL,
    client: ClientInfo,
  ): Promise<LoginResult & { provider: string }> {
    const provider = await this.usable(providerId);
    const { answer, idToken } = await this.oidc.complete(provider, callbackUrl);
    const outcome = await this.provisioning.signIn(provider, {
      subject: answer.subject,
      email: answer.email,
      displayName: typeof answer.claims.name === 'string' ? answer.claims.name : null,
      claims: answer.claims,
    });
    if (!outcome.ok) {
      await this.audit.record({
        action: 'auth.login_failed',
        actor: null,
        tenantId: provider.tenantId,
        ip: client.ip,
        details: {
          username: (answer.email ?? answer.subject).slice(0, 200),
          reason: outcome.reason,
          provider: provider.id,
          kind: provider.kind,
        },
      });
      throw refusal(outcome.reason);
    }
    const user = await this.users.findById(outcome.userId);
    if (!user) throw refusal('disabled');
    const result = await this.auth.ssoLogin(
      user,
      { trusted: provider.trustMfa, proven: mfaProven(answer.claims, provider.mfaValues) },
      client,
      { providerId: provider.id, logout: idToken ? { idToken } : null },
    );
    return { ...result, provider: provider.name };
  }

  /** The provider's logout address for a session that came through it; null: none. */
  async logoutUrl(sso: SsoSessionInfo, origin: string): Promise<string | null> {
    const provider = await this.providers.find(sso.providerId);
    if (!provider || provider.kind !== 'oidc') return null;
    const idToken = typeof sso.logout?.idToken === 'string' ? sso.logout.idToken : undefined;
    return this.oidc.logoutUrl(provider, idToken, ssoUrls(origin, provider.id).logoutDone);
  }

  private async usable(providerId: string): Promise<IdentityProviderRow> {
    const provider = await this.providers.find(providerId);
    if (!provider || !provider.enabled || provider.kind !== 'oidc')
      throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such sign-in provider');
    return provider;
  }
}

function option(p: IdentityProviderRow): LoginOption[] {
  if (p.kind !== 'oidc') return [];
  return [{ id: p.id, name: p.name, kind: p.kind, loginUrl: `/sso/${p.id}/login` }];
}

/** What the person is told, by why the provider's answer was not enough. */
function refusal(reason: RefusalReason) {
  if (reason === 'no_role')
    return apiError(
      403,
      'BW_ERR_SSO_NO_ROLE',
      'your organisation gives you no access to this hub (no role for your groups); ask your admin',
    );
  if (reason === 'disabled')
    return apiError(403, 'BW_ERR_ACCOUNT_DISABLED', 'this account is disabled; ask an admin');
  return apiError(
    403,
    'BW_ERR_SSO_REFUSED',
    reason === 'username_taken'
      ? 'an account of that name exists here and is not linked to your sign-in; ask an admin'
      : 'this sign-in has no account here yet; ask an admin to create one',
    { reason },
  );
}
