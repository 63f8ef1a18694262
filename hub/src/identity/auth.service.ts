import { createHash } from 'node:crypto';
import { apiError } from '../http/errors.js';
import type { SessionUser } from '../http/request-state.js';
import type { User } from './user.model.js';
import type { CredentialRepository } from './credential.repository.js';
import { touchDue, type SessionRepository } from './session.repository.js';
import type { UserRepository } from './user.repository.js';
import { csrfTokenFor } from './csrf.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import { GrowingDelay, SlidingWindowLimiter } from './rate-limit.js';
import type { ApiTokenService } from './api-token.service.js';
import type { AuditService } from './audit/audit.service.js';
import type { SecondFactor, TwoFactorService } from './two-factor.service.js';
import { randomSecret } from '../core/random-secret.js';
import type { PasswordPolicyService } from './password-policy.service.js';
import type { DirectorySignIn } from './sso/directory-sign-in.js';
import type { IdentityProviderRow } from './sso/identity-provider.repository.js';
import { findingsOf, type SignInFinding } from './sso/sign-in-findings.js';
import type { Database } from '../db/database.js';

const SESSION_DAYS = 7;
const TICKET_MINUTES = 5;
const TICKET_ATTEMPTS = 5;

/** Sign-in throttling (docs/security.md, "Sign-in throttling"). */
export interface LoginPolicy {
  /** Failures of one username from one address answered at once; then growing waits. */
  maxFailures: number;
  /** Longest wait between attempts of one username from one address. */
  lockoutMinutes: number;
  rateWindowSeconds: number;
  /**
   * Failures of one username from all addresses within the window after which every address
   * waits from its first failure on (a guess spread over many addresses).
   */
  rateMaxPerUsername: number;
  /** Failures from one address, whatever the username, within the window before 429. */
  rateMaxPerIp: number;
  /** Roles whose users must use two-factor authentication. */
  mfaRequiredRoles: readonly string[];
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** The provider a session came through, and what its logout needs (an ID token). */
export interface SsoSessionInfo {
  providerId: string;
  /** oidc, saml or ldap: what the audit entry and the provider's logout say. */
  kind?: string;
  logout: Record<string, unknown> | null;
  /** SHA-1 or clock skew seen in the provider's answer: kept with the sign-in's audit entry. */
  findings?: SignInFinding[];
}

export type LoginResult =
  | { kind: 'session'; user: SessionUser; token: string; csrfToken: string }
  | { kind: 'mfa'; ticket: string }
  | { kind: 'enrol'; ticket: string };

/** The provider a session was signed in through (the SSO report counts them). */
export interface SignedInVia extends Record<string, unknown> {
  provider: string;
  kind: string;
}

export class AuthService {
  /** Told of each break-glass sign-in (the SSO report's alert ticket for the admins). */
  onBreakGlass?: (user: User, client: ClientInfo) => Promise<void>;

  /** Failures per username and address: growing waits, so the owner elsewhere is never locked out. */
  private readonly byUserAndIp: GrowingDelay;
  /** Failures per username from anywhere: only makes every address's waits start sooner. */
  private readonly byUsername: SlidingWindowLimiter;
  private readonly byIp: SlidingWindowLimiter;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly credentials: CredentialRepository,
    private readonly twoFactor: TwoFactorService,
    private readonly apiTokens: ApiTokenService,
    private readonly audit: AuditService,
    private readonly policy: LoginPolicy,
    private readonly passwords?: PasswordPolicyService,
    /** Sign-in through a tenant's LDAP directory (sso/directory-sign-in.ts). */
    private readonly directory?: DirectorySignIn,
    /** For the tenant's "sign in through the provider" rule and break-glass accounts. */
    private readonly db?: Database,
  ) {
    const windowMs = policy.rateWindowSeconds * 1000;
    this.byUserAndIp = new GrowingDelay(policy.lockoutMinutes * 60_000);
    this.byUsername = new SlidingWindowLimiter(policy.rateMaxPerUsername, windowMs);
    this.byIp = new SlidingWindowLimiter(policy.rateMaxPerIp, windowMs);
  }

  /**
   * Step one: the password — the hub's own, or the directory's when the login names an LDAP
   * provider or its e-mail domain routes to one. Answers a session, or a ticket for the second
   * factor.
   */
  async login(
    username: string,
    password: string,
    client: ClientInfo,
    providerId?: string,
  ): Promise<LoginResult> {
    const key = username.toLowerCase();
    // Keyed by the name as typed, before looking it up: an unknown name is throttled and
    // answered exactly as a known one.
    this.assertNotThrottled(key, client.ip);
    const provider = await this.directory?.route(username, providerId);
    if (provider) return this.directoryLogin(provider, username, password, client);
    const user = await this.users.findByUsername(username);
    const state = user ? await this.credentials.stateOf(user.id) : undefined;
    // Verify against a hash even for unknown users, so timing does not reveal who exists.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok) {
      await this.fail(key, user, client, 'wrong password');
      throw apiError(401, 'BW_ERR_BAD_CREDENTIALS', 'wrong username or password');
    }
    // Told only to whoever knows the password: to anyone else a disabled account answers as
    // any wrong password does.
    if (user.disabledAt)
      throw apiError(403, 'BW_ERR_ACCOUNT_DISABLED', 'this account is disabled; ask an admin');
    await this.passwordSignInAllowed(user, client);
    this.byUserAndIp.reset(pairKey(key, client.ip));
    await this.credentials.recordSuccess(user.id);
    if (needsRehash(user.passwordHash)) {
      await this.credentials.setPasswordHash(user.id, await hashPassword(password));
    }
    return this.secondStep(user, !!state?.totpSecret, client);
  }

  /** After the first factor: the hub's TOTP when the person has it or their role needs it. */
  private async secondStep(
    user: User,
    hasTotp: boolean,
    client: ClientInfo,
    via?: SignedInVia,
  ): Promise<LoginResult> {
    if (hasTotp) return { kind: 'mfa', ticket: await this.ticket(user.id, 'mfa', via) };
    if (this.policy.mfaRequiredRoles.includes(user.role)) {
      return { kind: 'enrol', ticket: await this.ticket(user.id, 'enrol', via) };
    }
    return this.startSession(user, client, via);
  }

  /**
   * In a tenant that requires its providers, only break-glass accounts sign in with a password
   * of the hub (told only to whoever knows the password). Answers whether this is such a use.
   */
  private async passwordSignInAllowed(user: User, client: ClientInfo): Promise<void> {
    const rule = await this.providerRule(user);
    if (!rule?.required || rule.breakGlass) return;
    await this.audit.record({
      action: 'auth.login_failed',
      actor: null,
      target: `user:${user.id}`,
      tenantId: user.tenantId,
      ip: client.ip,
      details: { username: user.username, reason: 'provider_required' },
    });
    throw apiError(
      403,
      'BW_ERR_SSO_REQUIRED',
      'your organisation signs in through its own provider: use its button or your work e-mail',
    );
  }

  /** Whether the person's tenant requires its providers, and whether they are break-glass. */
  private async providerRule(user: { id: string; tenantId: string | null }) {
    if (!this.db || !user.tenantId) return undefined;
    return (await this.db('users as u')
      .join('tenants as t', 't.id', 'u.tenant_id')
      .where('u.id', user.id)
      .first('t.sso_required as required', 'u.break_glass as breakGlass')) as
      { required: boolean; breakGlass: boolean } | undefined;
  }

  private async directoryLogin(
    provider: IdentityProviderRow,
    username: string,
    password: string,
    client: ClientInfo,
  ): Promise<LoginResult> {
    const key = username.toLowerCase();
    const answer = await this.directory!.signIn(provider, username, password);
    if (!answer.ok) {
      const detail = { provider: provider.id, kind: provider.kind };
      if (answer.reason === 'directory_unreachable') {
        await this.audit.record({
          action: 'auth.login_failed',
          actor: null,
          tenantId: provider.tenantId,
          ip: client.ip,
          details: { username: key.slice(0, 200), reason: answer.reason, ...detail },
        });
        throw apiError(
          503,
          'BW_ERR_DIRECTORY_UNAVAILABLE',
          "your organisation's directory does not answer; try again later or ask an admin",
        );
      }
      await this.fail(key, undefined, client, answer.reason, {
        ...detail,
        tenantId: provider.tenantId,
      });
      if (answer.reason === 'disabled')
        throw apiError(403, 'BW_ERR_ACCOUNT_DISABLED', 'this account is disabled; ask an admin');
      if (answer.reason === 'no_role')
        throw apiError(
          403,
          'BW_ERR_SSO_NO_ROLE',
          'your directory groups give you no access here; ask an admin',
        );
      if (answer.reason === 'username_taken' || answer.reason === 'not_provisioned')
        throw apiError(
          403,
          'BW_ERR_SSO_FAILED',
          'no account here is linked to your directory account; ask an admin',
          { reason: answer.reason },
        );
      throw apiError(401, 'BW_ERR_BAD_CREDENTIALS', 'wrong username or password');
    }
    this.byUserAndIp.reset(pairKey(key, client.ip));
    const user = await this.users.findById(answer.userId);
    if (!user) throw apiError(401, 'BW_ERR_BAD_CREDENTIALS', 'wrong username or password');
    const state = await this.credentials.stateOf(user.id);
    return this.secondStep(user, !!state?.totpSecret, client, {
      provider: provider.id,
      kind: provider.kind,
    });
  }

  /**
   * A person their tenant's identity provider vouched for (identity/sso/). The hub's own TOTP
   * comes next unless the tenant trusts the provider's MFA and the answer proves it; when it is
   * trusted but not proven, the person without TOTP must enrol: never a silent skip.
   */
  async ssoLogin(
    user: User,
    mfa: { trusted: boolean; proven: boolean },
    client: ClientInfo,
    sso: SsoSessionInfo,
  ): Promise<LoginResult> {
    if (user.disabledAt)
      throw apiError(403, 'BW_ERR_ACCOUNT_DISABLED', 'this account is disabled; ask an admin');
    const via = {
      provider: sso.providerId,
      kind: sso.kind ?? 'oidc',
      ...(sso.findings?.length ? { findings: sso.findings } : {}),
    };
    if (mfa.trusted && mfa.proven) return this.startSession(user, client, via, sso);
    const state = await this.credentials.stateOf(user.id);
    // The ticket keeps what the provider's logout needs, for the session the second step starts.
    const kept = { ...via, logout: sso.logout };
    if (state.totpSecret) return { kind: 'mfa', ticket: await this.ticket(user.id, 'mfa', kept) };
    if (mfa.trusted || this.policy.mfaRequiredRoles.includes(user.role))
      return { kind: 'enrol', ticket: await this.ticket(user.id, 'enrol', kept) };
    return this.startSession(user, client, via, sso);
  }

  /** Step two: a TOTP code or a recovery code for the ticket of step one. */
  async completeMfa(ticket: string, proof: SecondFactor, client: ClientInfo) {
    const { user, via, sso } = await this.redeem(ticket, 'mfa');
    this.assertNotThrottled(user.username.toLowerCase(), client.ip);
    if (!(await this.twoFactor.check(actorOf(user), proof, client.ip))) {
      // The provider's findings go with the sign-in, once: not with a wrong code.
      const provider =
        via && user.tenantId
          ? { provider: via.provider, kind: via.kind, tenantId: user.tenantId }
          : undefined;
      await this.fail(user.username.toLowerCase(), user, client, 'wrong second factor', provider);
      throw apiError(401, 'BW_ERR_MFA_INVALID', 'wrong or already used code');
    }
    await this.credentials.deleteTicket(hashToken(ticket));
    return this.startSession(user, client, via, sso);
  }

  /** For a role that requires 2FA: the secret to scan, against the enrolment ticket. */
  async beginRequiredEnrolment(ticket: string) {
    const { user } = await this.redeem(ticket, 'enrol');
    return this.twoFactor.begin(actorOf(user));
  }

  /** Confirms the required enrolment and logs in; the recovery codes are shown once. */
  async confirmRequiredEnrolment(ticket: string, code: string, client: ClientInfo) {
    const { user, via, sso } = await this.redeem(ticket, 'enrol');
    const recoveryCodes = await this.twoFactor.confirm(actorOf(user), code, client.ip);
    await this.credentials.deleteTicket(hashToken(ticket));
    return { ...(await this.startSession(user, client, via, sso)), recoveryCodes };
  }

  async authenticate(token: string): Promise<SessionUser | undefined> {
    if (this.apiTokens.isApiToken(token)) {
      const found = await this.apiTokens.authenticate(token);
      if (!found) return undefined;
      const user = await this.users.findById(found.userId);
      return user && !user.disabledAt
        ? { ...toSessionUser(user), scopes: found.scopes }
        : undefined;
    }
    const now = new Date();
    const tokenHash = hashToken(token);
    const found = await this.sessions.findValidUser(tokenHash, now);
    if (!found || found.user.disabledAt) return undefined;
    if (touchDue(found.lastSeenAt, now)) await this.sessions.touch(tokenHash, now);
    return toSessionUser(found.user);
  }

  /** Ends the session; what the provider's own logout needs when it came from one. */
  async logout(
    user: SessionUser,
    token: string,
    client: ClientInfo,
  ): Promise<SsoSessionInfo | null> {
    const sso = await this.sessions.ssoOf(hashToken(token));
    await this.sessions.delete(hashToken(token));
    await this.audit.record({ action: 'auth.logout', actor: user, ...about(user, client.ip) });
    return sso;
  }

  /** The user's live sessions; `current` marks the one of this request. */
  async listSessions(userId: string, currentToken: string) {
    const current = hashToken(currentToken);
    const rows = await this.sessions.listForUser(userId, new Date());
    return rows.map(({ tokenHash, ...s }) => ({ ...s, current: tokenHash === current }));
  }

  /** Ends one session; only its owner or an admin may. */
  async revokeSession(
    actor: SessionUser,
    sessionId: string,
    client: ClientInfo,
    managesUsers = false,
  ): Promise<void> {
    const owner = await this.sessions.findUserOf(sessionId);
    if (
      !owner ||
      (owner !== actor.id && !isAdmin(actor) && !(await this.manages(actor, owner, managesUsers)))
    ) {
      throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such session');
    }
    await this.sessions.deleteById(sessionId);
    await this.audit.record({
      action: 'auth.session_revoked',
      actor,
      target: `user:${owner}`,
      ip: client.ip,
      tenantId: actor.tenantId,
      details: { sessionId },
    });
  }

  /**
   * The user changes their own password, proving the current one (counted like a failed login
   * when wrong). Every other session, every API token and login ticket ends: whoever else
   * held them must sign in with the new password.
   */
  async changePassword(
    actor: SessionUser,
    token: string,
    change: { currentPassword: string; newPassword: string },
    client: ClientInfo,
  ): Promise<void> {
    const key = actor.username.toLowerCase();
    this.assertNotThrottled(key, client.ip);
    const user = await this.users.findById(actor.id);
    if (!user || !(await verifyPassword(change.currentPassword, user.passwordHash))) {
      await this.fail(key, user, client, 'wrong current password');
      // 400, not 401: the request is signed in, its body is wrong (a 401 would end the
      // page's session).
      throw apiError(400, 'BW_ERR_VALIDATION', 'currentPassword: not your current password', {
        field: 'currentPassword',
      });
    }
    await this.passwords?.check(user.tenantId, change.newPassword, 'newPassword', {
      id: user.id,
      currentHash: user.passwordHash,
    });
    await this.credentials.setPasswordHash(user.id, await hashPassword(change.newPassword));
    await this.passwords?.remember(user.tenantId, user.id, user.passwordHash);
    await this.credentials.revokeAfterPasswordChange(user.id, hashToken(token), new Date());
    await this.audit.record({
      action: 'auth.password_changed',
      actor,
      ...about(actor, client.ip),
      details: { by: 'self' },
    });
  }

  /**
   * Whether `actor` (holding users.manage) administers `userId`: a tenant's admin their
   * tenant's people. The request's row-level security hides other tenants' rows as well.
   */
  async manages(actor: SessionUser, userId: string, managesUsers: boolean): Promise<boolean> {
    if (isAdmin(actor)) return true;
    if (!managesUsers || actor.tenantId === null) return false;
    const user = await this.users.findById(userId);
    return user?.tenantId === actor.tenantId;
  }

  /** Ends every session of the user but the current one; the number ended. */
  async revokeOtherSessions(actor: SessionUser, token: string, client: ClientInfo) {
    const ended = await this.sessions.deleteOthers(actor.id, hashToken(token));
    await this.audit.record({
      action: 'auth.session_revoked',
      actor,
      ...about(actor, client.ip),
      details: { others: ended },
    });
    return ended;
  }

  private assertNotThrottled(usernameKey: string, ip: string | null): void {
    const spread = this.byUsername.retryAfterMs(usernameKey) > 0;
    const free = spread ? 0 : this.policy.maxFailures;
    const wait = Math.max(
      this.byUserAndIp.retryAfterMs(pairKey(usernameKey, ip), free),
      ip ? this.byIp.retryAfterMs(ip) : 0,
    );
    if (wait > 0) {
      throw apiError(429, 'BW_ERR_RATE_LIMITED', 'too many failed logins; try again later', {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
  }

  private async fail(
    key: string,
    user: User | undefined,
    client: ClientInfo,
    reason: string,
    via?: SignedInVia & { tenantId: string },
  ) {
    this.byUserAndIp.hit(pairKey(key, client.ip));
    this.byUsername.hit(key);
    if (client.ip) this.byIp.hit(client.ip);
    const { tenantId, ...provider } = via ?? { tenantId: null };
    await this.audit.record({
      action: 'auth.login_failed',
      actor: null,
      target: user ? `user:${user.id}` : null,
      tenantId: user?.tenantId ?? tenantId,
      ip: client.ip,
      details: { username: key.slice(0, 200), reason, ...provider },
    });
  }

  private async ticket(
    userId: string,
    purpose: 'mfa' | 'enrol',
    via?: SignedInVia,
  ): Promise<string> {
    const ticket = randomSecret(32);
    const expires = new Date(Date.now() + TICKET_MINUTES * 60_000);
    await this.credentials.createTicket(hashToken(ticket), userId, purpose, expires, via);
    return ticket;
  }

  /** The user of a live ticket of this purpose; each ticket allows a few attempts. */
  private async redeem(ticket: string, purpose: 'mfa' | 'enrol') {
    const found = await this.credentials.useTicket(hashToken(ticket), new Date());
    const user = found ? await this.users.findById(found.userId) : undefined;
    if (
      !found ||
      !user ||
      user.disabledAt ||
      found.purpose !== purpose ||
      found.attempts > TICKET_ATTEMPTS
    ) {
      if (found) await this.credentials.deleteTicket(hashToken(ticket));
      throw apiError(
        401,
        'BW_ERR_MFA_TICKET',
        'the login ticket is unknown or expired: log in again',
      );
    }
    return { user, via: viaOf(found.via), sso: ssoOf(found.via) };
  }

  private async startSession(
    user: User,
    client: ClientInfo,
    via?: SignedInVia,
    sso?: SsoSessionInfo,
  ) {
    const token = randomSecret(32);
    const expires = new Date(Date.now() + SESSION_DAYS * 86400_000);
    await this.sessions.create(hashToken(token), user.id, expires, client, sso);
    const sessionUser = toSessionUser(user);
    // A password of the hub in a tenant that requires its providers: a break-glass use,
    // counted in the SSO report and raised to the tenant's admins.
    const rule = via ? undefined : await this.providerRule(user);
    const breakGlass = rule?.required === true && rule.breakGlass;
    await this.audit.record({
      action: 'auth.login',
      actor: sessionUser,
      ...about(user, client.ip),
      ...(via ? { details: via } : breakGlass ? { details: { breakGlass: true } } : {}),
    });
    if (breakGlass) await this.onBreakGlass?.(user, client);
    // An admin role holds at most the tenant's number of sessions: the oldest end.
    for (const id of (await this.passwords?.sessionsOverLimit(user, new Date())) ?? []) {
      await this.sessions.deleteById(id);
      await this.audit.record({
        action: 'auth.session_revoked',
        actor: sessionUser,
        ...about(user, client.ip),
        details: { sessionId: id, reason: 'session limit' },
      });
    }
    return { kind: 'session' as const, user: sessionUser, token, csrfToken: csrfTokenFor(token) };
  }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const isAdmin = (u: SessionUser) => u.role === 'admin' && u.tenantId === null;

const toSessionUser = (u: User): SessionUser => ({
  id: u.id,
  username: u.username,
  role: u.role,
  tenantId: u.tenantId,
});

const actorOf = (u: User) => ({ id: u.id, username: u.username, tenantId: u.tenantId });

const about = (u: { id: string; tenantId: string | null }, ip: string | null) => ({
  target: `user:${u.id}`,
  tenantId: u.tenantId,
  ip,
});

// An argon2id hash of a random password nobody knows, made once.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomSecret(16)));

/** The provider a login ticket's first step came through, as the ticket kept it. */
function viaOf(raw: Record<string, unknown> | null): SignedInVia | undefined {
  if (!raw || typeof raw.provider !== 'string' || typeof raw.kind !== 'string') return undefined;
  const findings = findingsOf(raw.findings);
  return { provider: raw.provider, kind: raw.kind, ...(findings.length ? { findings } : {}) };
}

/**
 * What the provider's logout needs, as a ticket of a provider's sign-in (ssoLogin) kept it; an
 * LDAP sign-in's ticket keeps none (its directory has no logout).
 */
function ssoOf(raw: Record<string, unknown> | null): SsoSessionInfo | undefined {
  if (!raw || typeof raw.provider !== 'string' || !('logout' in raw)) return undefined;
  const logout = raw.logout;
  return {
    providerId: raw.provider,
    ...(typeof raw.kind === 'string' ? { kind: raw.kind } : {}),
    logout:
      logout && typeof logout === 'object' && !Array.isArray(logout)
        ? (logout as Record<string, unknown>)
        : null,
  };
}

/** One username from one client address (throttling). */
const pairKey = (usernameKey: string, ip: string | null) => `${usernameKey}\n${ip ?? ''}`;
