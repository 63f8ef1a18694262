import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { apiError } from '../../http/errors.js';
import type { IdentityProviderRow } from './identity-provider.repository.js';
import type { IdentityProviderService } from './identity-provider.service.js';
import type { SsoSignInRepository } from './sso-sign-in.repository.js';
import { clockSkewFindings, type SignInFinding } from './sign-in-findings.js';

/** What a provider said about a person. */
export interface ProviderAnswer {
  /** OIDC `sub`: stable at this provider. */
  subject: string;
  email: string | null;
  /** ID token and userinfo claims: what the rules match. */
  claims: Record<string, unknown>;
}

/** How long a person may take at their provider between the redirect and the answer. */
const LOGIN_MINUTES = 10;
/** Discovery documents are fetched again after this long (keys rotate). */
const DISCOVERY_TTL_MS = 15 * 60_000;

interface OidcSettings {
  issuer: string;
  clientId: string;
  scopes?: string[];
  emailClaim?: string;
}

/**
 * OpenID Connect sign-in with `openid-client` (docs/decisions.md): the authorization code flow
 * with PKCE (S256), `state` and `nonce`, the provider found by discovery, the ID token's
 * signature, issuer, audience, expiry and nonce checked by the library; userinfo read when the
 * provider has one (many put groups and e-mail there, not in the ID token). The login in flight
 * is kept in PostgreSQL (`sso_login_states`, by a hash of its state), so any hub process may
 * take the answer, and only once.
 */
export class OidcSignIn {
  private readonly configs = new Map<
    string,
    { at: number; key: string; config: oidc.Configuration }
  >();

  constructor(
    private readonly providers: IdentityProviderService,
    private readonly states: SsoSignInRepository,
  ) {}

  /**
   * The address to send the person to at their provider. A test (an admin's "test this
   * provider") keeps the admin with the state: its answer signs nobody in.
   */
  async begin(
    provider: IdentityProviderRow,
    redirectUri: string,
    test?: { adminId: string },
  ): Promise<URL> {
    const config = await this.configOf(provider);
    const settings = provider.settings as unknown as OidcSettings;
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    await this.states.saveState(
      hash(state),
      {
        providerId: provider.id,
        purpose: test ? 'test' : 'login',
        data: { nonce, verifier, redirectUri, ...(test ?? {}) },
      },
      new Date(Date.now() + LOGIN_MINUTES * 60_000),
    );
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: (settings.scopes?.length ? settings.scopes : ['openid', 'email', 'profile']).join(' '),
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      // Some providers put amr and acr in the ID token only when asked (OpenID Connect Core
      // §5.5): asked for where the provider takes the claims parameter and its MFA is trusted.
      ...(provider.trustMfa && config.serverMetadata().claims_parameter_supported
        ? { claims: JSON.stringify({ id_token: { amr: null, acr: null } }) }
        : {}),
    });
  }

  /**
   * The provider's answer at the callback: the person it vouches for and the ID token (kept
   * for the provider's logout). Throws 400 BW_ERR_SSO_FAILED saying what was wrong.
   */
  async complete(
    provider: IdentityProviderRow,
    callbackUrl: URL,
  ): Promise<{
    answer: ProviderAnswer;
    idToken: string | undefined;
    /** The admin whose test this answers; null: a sign-in. */
    test: { adminId: string } | null;
    /** The ID token's issue time far from the hub's clock (the library checks expiry only). */
    findings: SignInFinding[];
  }> {
    const error = callbackUrl.searchParams.get('error');
    if (error)
      throw failed(
        `the provider refused: ${error}` +
          (callbackUrl.searchParams.get('error_description')
            ? ` (${callbackUrl.searchParams.get('error_description')!.slice(0, 200)})`
            : ''),
      );
    const state = callbackUrl.searchParams.get('state');
    const saved = state ? await this.states.takeState(hash(state), new Date()) : undefined;
    // A state of another provider (another tenant's) is as unknown as a made-up one.
    if (!state || !saved || saved.providerId !== provider.id)
      throw failed('this sign-in is unknown or expired: start again');
    const { nonce, verifier, redirectUri } = saved.data as Record<string, string>;
    const config = await this.configOf(provider);
    // The library compares the callback's address with redirect_uri: the one the request used.
    const current = new URL(redirectUri!);
    current.search = callbackUrl.search;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw failed(`the provider's answer was refused: ${(err as Error).message}`);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw failed('the provider sent no ID token');
    // The hub fetched the token itself a moment ago: an `iat` far from now is the clock's.
    const findings = clockSkewFindings(
      typeof idClaims.iat === 'number' ? idClaims.iat * 1000 : null,
    );
    let userinfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint) {
      try {
        userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      } catch (err) {
        throw failed(`the provider's userinfo was refused: ${(err as Error).message}`);
      }
    }
    // The ID token's own claims win: amr, acr and the subject come signed.
    const claims: Record<string, unknown> = { ...userinfo, ...idClaims };
    const settings = provider.settings as unknown as OidcSettings;
    const email = claims[settings.emailClaim ?? 'email'];
    return {
      answer: {
        subject: idClaims.sub,
        email: typeof email === 'string' ? email.toLowerCase().slice(0, 320) : null,
        claims,
      },
      idToken: tokens.id_token,
      test:
        saved.purpose === 'test' && typeof saved.data.adminId === 'string'
          ? { adminId: saved.data.adminId }
          : null,
      findings,
    };
  }

  /** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), when the provider has it. */
  async logoutUrl(
    provider: IdentityProviderRow,
    idToken: string | undefined,
    afterLogout: string,
  ): Promise<string | null> {
    const config = await this.configOf(provider).catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return null;
    return oidc
      .buildEndSessionUrl(config, {
        post_logout_redirect_uri: afterLogout,
        ...(idToken ? { id_token_hint: idToken } : {}),
      })
      .toString();
  }

  private async configOf(provider: IdentityProviderRow): Promise<oidc.Configuration> {
    const settings = provider.settings as unknown as OidcSettings;
    const key = `${settings.issuer}\n${settings.clientId}\n${provider.updatedAt.getTime()}`;
    const cached = this.configs.get(provider.id);
    if (cached && cached.key === key && Date.now() - cached.at < DISCOVERY_TTL_MS)
      return cached.config;
    const secret = this.providers.openSecret(provider);
    const issuer = new URL(settings.issuer);
    let config: oidc.Configuration;
    try {
      config = await oidc.discovery(
        issuer,
        settings.clientId,
        undefined,
        secret ? oidc.ClientSecretBasic(secret) : oidc.None(),
        {
          timeout: 10,
          // Plain HTTP only to a provider on this machine (a lab or a test); anywhere else the
          // library's refusal of http stands.
          ...(isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      );
    } catch (err) {
      throw failed(
        `the provider's discovery document could not be read: ${(err as Error).message}`,
      );
    }
    this.configs.set(provider.id, { at: Date.now(), key, config });
    return config;
  }
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

const failed = (message: string) => apiError(400, 'BW_ERR_SSO_FAILED', message);

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
