import { apiError } from '../../http/errors.js';
import type { AuthService, ClientInfo, LoginResult, SsoSessionInfo } from '../auth.service.js';
import type {
  IdentityProviderRepository,
  IdentityProviderRow,
} from './identity-provider.repository.js';
import type { IdentityProviderService } from './identity-provider.service.js';
import type { OidcSignIn, ProviderAnswer } from './oidc-sign-in.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SsoProvisioning } from './provisioning.js';
import { DEFAULT_MFA_VALUES, mapClaims, mfaProven } from './role-mapping.js';
import type { ProviderTestResult } from './identity-provider.schemas.js';
import type { SsoSignInRepository } from './sso-sign-in.repository.js';
import type { Administrator } from '../user-admin.service.js';
import { createHash, randomBytes } from 'node:crypto';
import { SAML_MFA_CLASSES, type SamlEndpoints, type SamlSignIn } from './saml-sign-in.js';
import { ssoUrls } from './sso-urls.js';
import type { UserRepository } from '../user.repository.js';
import type { RefusalReason } from './provisioning.js';
import type { SignInFinding } from './sign-in-findings.js';

/** A provider as the login page shows it: a button. */
export interface LoginOption {
  id: string;
  name: string;
  kind: 'oidc' | 'saml';
  /** Where the button goes (the hub, which sends the person on to the provider). */
  loginUrl: string;
}

/** How long an admin may read what their test sign-in received. */
const TEST_RESULT_MINUTES = 10;

/** A provider's answer: a session or the hub's second factor, or an admin's test result to read. */
export type ProviderOutcome =
  (LoginResult & { provider: string }) | { kind: 'test'; providerId: string; resultId: string };

/**
 * Signing in through a tenant's identity provider (docs/sso.md), from the login page's
 * buttons and e-mail routing to the session: the provider's answer checked (oidc-sign-in.ts),
 * the person found or made and their role mapped (sso-accounts.ts), the hub's TOTP when the
 * provider's MFA is not trusted or not proven (AuthService.ssoLogin).
 */
export class SsoSignInService {
  /** Called once a sign-in or refusal with findings is recorded: the alerts look at once. */
  onFindings: (() => void) | undefined;

  constructor(
    private readonly repo: IdentityProviderRepository,
    private readonly providers: IdentityProviderService,
    private readonly provisioning: SsoProvisioning,
    private readonly oidc: OidcSignIn,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly users: UserRepository,
    private readonly saml: SamlSignIn,
    private readonly states: SsoSignInRepository,
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
    if (provider.kind === 'saml')
      return this.saml.begin(provider, samlEndpoints(origin, provider.id));
    return (await this.oidc.begin(provider, ssoUrls(origin, provider.id).oidcCallback)).toString();
  }

  /** The OIDC provider's answer: a session, or the hub's second factor first. */
  async finish(providerId: string, callbackUrl: URL, client: ClientInfo): Promise<ProviderOutcome> {
    // A disabled provider still answers an admin's test (set up before it is turned on).
    const provider = await this.usable(providerId, 'oidc', true);
    const { answer, idToken, test, findings } = await this.oidc.complete(provider, callbackUrl);
    if (test) return this.tested(provider, answer, test, provider.mfaValues);
    if (!provider.enabled) throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such sign-in provider');
    return this.signIn(provider, answer, client, {
      logout: idToken ? { idToken } : null,
      mfaValues: provider.mfaValues,
      findings,
    });
  }

  /** The SAML IdP's answer posted to the ACS: a session, or the hub's second factor first. */
  async finishSaml(
    providerId: string,
    samlResponse: string,
    origin: string,
    client: ClientInfo,
  ): Promise<ProviderOutcome> {
    const provider = await this.usable(providerId, 'saml', true);
    const { answer, sessionIndex, nameIdFormat, test, findings } = await this.saml
      .complete(provider, samlEndpoints(origin, provider.id), samlResponse)
      .catch(async (err: { code?: string; message: string; findings?: SignInFinding[] }) => {
        // Unsigned, forged, replayed, expired or misdirected answers: the SSO report counts them.
        if (err.code === 'BW_ERR_SSO_FAILED')
          await this.refused(provider, client, {
            reason: 'invalid_answer',
            detail: err.message.slice(0, 500),
            ...(err.findings?.length ? { findings: err.findings } : {}),
          });
        if (err.findings?.length) this.onFindings?.();
        throw err;
      });
    const mfaValues = provider.mfaValues.length
      ? provider.mfaValues
      : [...DEFAULT_MFA_VALUES, ...SAML_MFA_CLASSES];
    if (test) return this.tested(provider, answer, test, mfaValues);
    if (!provider.enabled) throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such sign-in provider');
    return this.signIn(provider, answer, client, {
      logout: { nameId: answer.subject, nameIdFormat, sessionIndex },
      mfaValues,
      findings,
    });
  }

  /**
   * An admin's "test this provider" (OIDC or SAML): the address to open, where the provider's
   * sign-in starts; its answer comes back to the same callback or ACS as a sign-in's and is
   * kept for that admin to read (testResult), signing nobody in.
   */
  async startTest(
    admin: Administrator & { id: string },
    providerId: string,
    origin: string,
  ): Promise<string> {
    const provider = await this.providers.providerOf(admin, providerId);
    const test = { adminId: admin.id };
    if (provider.kind === 'saml')
      return this.saml.begin(provider, samlEndpoints(origin, provider.id), test);
    if (provider.kind === 'oidc')
      return (
        await this.oidc.begin(provider, ssoUrls(origin, provider.id).oidcCallback, test)
      ).toString();
    throw apiError(
      400,
      'BW_ERR_VALIDATION',
      'kind: an LDAP directory is tested with a person’s name and password (POST …/test)',
      { field: 'kind' },
    );
  }

  /** What the admin's test sign-in received; only the admin who started it reads it. */
  async testResult(
    admin: Administrator & { id: string },
    providerId: string,
    resultId: string,
  ): Promise<ProviderTestResult> {
    const provider = await this.providers.providerOf(admin, providerId);
    const data = await this.states.peekState(testKey(resultId), provider.id, new Date());
    if (!data || data.adminId !== admin.id)
      throw apiError(
        404,
        'BW_ERR_NOT_FOUND',
        'this test result does not exist or is older than 10 minutes: test again',
      );
    return data.result as ProviderTestResult;
  }

  /** A test's answer, kept for its admin: the claims and what the rules make of them. */
  private async tested(
    provider: IdentityProviderRow,
    answer: ProviderAnswer,
    test: { adminId: string },
    mfaValues: readonly string[],
  ): Promise<ProviderOutcome> {
    const result: ProviderTestResult = {
      providerId: provider.id,
      kind: provider.kind as 'oidc' | 'saml',
      subject: answer.subject,
      email: answer.email,
      claims: Object.entries(answer.claims)
        .map(([name, value]) => ({ name, values: textsOf(value) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      mapped: mapClaims(answer.claims, provider.rules, provider.defaultRole).grant,
      mfa: { trusted: provider.trustMfa, proven: mfaProven(answer.claims, mfaValues) },
      at: new Date().toISOString(),
    };
    const resultId = randomBytes(24).toString('base64url');
    await this.states.saveState(
      testKey(resultId),
      { providerId: provider.id, purpose: 'test', data: { adminId: test.adminId, result } },
      new Date(Date.now() + TEST_RESULT_MINUTES * 60_000),
    );
    return { kind: 'test', providerId: provider.id, resultId };
  }

  /** A sign-in through the provider refused, in the audit chain (the SSO report counts them). */
  private async refused(
    provider: IdentityProviderRow,
    client: ClientInfo,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({
      action: 'auth.login_failed',
      actor: null,
      tenantId: provider.tenantId,
      ip: client.ip,
      details: { ...details, provider: provider.id, kind: provider.kind },
    });
  }

  /** This SAML provider's SP metadata (public: what the IdP's admin imports). */
  async samlMetadata(providerId: string, origin: string): Promise<string> {
    const provider = await this.providers.find(providerId);
    if (!provider || provider.kind !== 'saml')
      throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such SAML provider');
    return await this.saml.metadata(provider, samlEndpoints(origin, provider.id));
  }

  /**
   * A message to this SAML provider's single logout endpoint. A LogoutRequest from the IdP ends
   * the Branchwatch sessions of the person it names that came through this provider (those of
   * its SessionIndex when it gives one) and answers with the hub's LogoutResponse; a
   * LogoutResponse ends the hub's own single logout. Where the browser goes next.
   */
  async samlSlo(
    providerId: string,
    query: Record<string, string>,
    rawQuery: string,
    origin: string,
    client: ClientInfo,
  ): Promise<string> {
    const provider = await this.usable(providerId, 'saml', true);
    const message = await this.saml
      .slo(provider, samlEndpoints(origin, provider.id), query, rawQuery)
      .catch(async (err: { code?: string; message: string }) => {
        if (err.code === 'BW_ERR_SSO_FAILED')
          await this.audit.record({
            action: 'sso.logout_refused',
            actor: null,
            tenantId: provider.tenantId,
            ip: client.ip,
            target: `identity_provider:${provider.id}`,
            details: { provider: provider.id, detail: err.message.slice(0, 500) },
          });
        throw err;
      });
    if (message.kind === 'response') return ssoUrls(origin, provider.id).logoutDone;
    // The person is found by this provider's link only: another provider's (another tenant's)
    // NameID ends nobody here.
    const ended = await this.states.endSessionsOf(
      provider.id,
      message.nameId,
      message.sessionIndex,
    );
    if (ended)
      await this.audit.record({
        action: 'auth.session_revoked',
        actor: null,
        target: `user:${ended.userId}`,
        tenantId: provider.tenantId,
        ip: client.ip,
        details: { reason: 'single logout', provider: provider.id, sessions: ended.sessions },
      });
    return (await message.respond(true)) ?? ssoUrls(origin, provider.id).logoutDone;
  }

  /** The person a provider vouched for: found or made, mapped, then the hub's MFA rule. */
  private async signIn(
    provider: IdentityProviderRow,
    answer: ProviderAnswer,
    client: ClientInfo,
    how: {
      logout: Record<string, unknown> | null;
      mfaValues: readonly string[];
      findings: SignInFinding[];
    },
  ): Promise<LoginResult & { provider: string }> {
    const findings = how.findings.length ? { findings: how.findings } : {};
    try {
      return await this.mapAndSignIn(provider, answer, client, how, findings);
    } finally {
      if (how.findings.length) this.onFindings?.();
    }
  }

  private async mapAndSignIn(
    provider: IdentityProviderRow,
    answer: ProviderAnswer,
    client: ClientInfo,
    how: { logout: Record<string, unknown> | null; mfaValues: readonly string[] },
    findings: { findings?: SignInFinding[] },
  ): Promise<LoginResult & { provider: string }> {
    const outcome = await this.provisioning.signIn(provider, {
      subject: answer.subject,
      email: answer.email,
      displayName: typeof answer.claims.name === 'string' ? answer.claims.name : null,
      claims: answer.claims,
    });
    if (!outcome.ok) {
      await this.refused(provider, client, {
        username: (answer.email ?? answer.subject).slice(0, 200),
        reason: outcome.reason,
        ...findings,
      });
      throw refusal(outcome.reason);
    }
    const user = await this.users.findById(outcome.userId);
    if (!user) throw refusal('disabled');
    const result = await this.auth.ssoLogin(
      user,
      { trusted: provider.trustMfa, proven: mfaProven(answer.claims, how.mfaValues) },
      client,
      { providerId: provider.id, kind: provider.kind, logout: how.logout, ...findings },
    );
    return { ...result, provider: provider.name };
  }

  /** The provider's logout address for a session that came through it; null: none. */
  async logoutUrl(sso: SsoSessionInfo, origin: string): Promise<string | null> {
    const provider = await this.providers.find(sso.providerId);
    if (provider?.kind === 'saml') {
      const facts = sso.logout;
      if (typeof facts?.nameId !== 'string') return null;
      return this.saml
        .logoutUrl(provider, samlEndpoints(origin, provider.id), {
          nameId: facts.nameId,
          nameIdFormat: typeof facts.nameIdFormat === 'string' ? facts.nameIdFormat : null,
          sessionIndex: typeof facts.sessionIndex === 'string' ? facts.sessionIndex : null,
        })
        .catch(() => null);
    }
    if (!provider || provider.kind !== 'oidc') return null;
    const idToken = typeof sso.logout?.idToken === 'string' ? sso.logout.idToken : undefined;
    return this.oidc.logoutUrl(provider, idToken, ssoUrls(origin, provider.id).logoutDone);
  }

  private async usable(
    providerId: string,
    kind?: 'oidc' | 'saml',
    evenDisabled = false,
  ): Promise<IdentityProviderRow> {
    const provider = await this.providers.find(providerId);
    if (
      !provider ||
      (!provider.enabled && !evenDisabled) ||
      provider.kind === 'ldap' ||
      (kind !== undefined && provider.kind !== kind)
    )
      throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such sign-in provider');
    return provider;
  }
}

/** A SAML provider's entity id (its metadata URL) and ACS at the hub's address. */
export function samlEndpoints(origin: string, providerId: string): SamlEndpoints {
  const urls = ssoUrls(origin, providerId);
  return { entityId: urls.samlMetadata, acsUrl: urls.samlAcs, sloUrl: urls.samlSlo };
}

const testKey = (resultId: string) =>
  createHash('sha256').update(`sso-test-result:${resultId}`).digest('hex');

/** A claim's or attribute's values as text (numbers, booleans and objects written out). */
function textsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list
    .slice(0, 200)
    .map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')))
    .map((v) => v.slice(0, 1000));
}

function option(p: IdentityProviderRow): LoginOption[] {
  if (p.kind === 'ldap') return [];
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
