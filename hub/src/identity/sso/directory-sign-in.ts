import { apiError, notFound } from '../../http/errors.js';
import type { Logger } from '../../core/logger.js';
import { authenticate, type LdapSettings, type DirectoryPerson } from '../ldap/ldap-directory.js';
import type {
  IdentityProviderRepository,
  IdentityProviderRow,
} from './identity-provider.repository.js';
import type { SsoProvisioning, RefusalReason } from './provisioning.js';
import type { SecretBox } from '../secret-box.js';
import { secretContext } from './identity-provider.service.js';
import { mapClaims } from './role-mapping.js';

export type DirectoryAnswer =
  | { ok: true; userId: string; provider: IdentityProviderRow }
  | {
      ok: false;
      provider: IdentityProviderRow;
      reason: 'invalid_credentials' | 'directory_unreachable' | RefusalReason;
    };

/** What the mapping rules of an LDAP provider look in: groups by name and by DN. */
export function directoryClaims(person: DirectoryPerson): Record<string, unknown> {
  return {
    groups: person.groups.map((g) => g.name),
    memberOf: person.groups.map((g) => g.dn),
    dn: person.dn,
    ...(person.email ? { email: person.email } : {}),
  };
}

/**
 * Password sign-in through a tenant's LDAP directory or Active Directory (docs/sso.md): the
 * provider is the one the login names, or the one the e-mail domain typed routes to. The
 * service account finds the person, the hub binds as them with the password typed, and the
 * person is provisioned and mapped like any provider's (sso/provisioning.ts).
 */
export class DirectorySignIn {
  constructor(
    private readonly providers: IdentityProviderRepository,
    private readonly secrets: SecretBox,
    private readonly provisioning: SsoProvisioning,
    private readonly logger?: Logger,
  ) {}

  /** The LDAP provider this login is for, or undefined: a login with the hub's password. */
  async route(username: string, providerId?: string): Promise<IdentityProviderRow | undefined> {
    if (providerId) {
      const p = await this.providers.find(providerId);
      if (!p || !p.enabled || p.kind !== 'ldap')
        throw notFound('BW_ERR_NOT_FOUND', `sign-in provider ${providerId} does not exist`);
      return p;
    }
    const at = username.lastIndexOf('@');
    if (at < 1) return undefined;
    const p = await this.providers.findByDomain(username.slice(at + 1).trim());
    return p?.kind === 'ldap' ? p : undefined;
  }

  /**
   * An admin's "test this provider": what the directory answers for a test person and what
   * it would map to, changing nothing (no user made, no role changed, no access taken).
   */
  async test(provider: IdentityProviderRow, username: string, password: string) {
    const bindPassword = provider.secretSealed
      ? this.secrets.open(provider.secretSealed, secretContext(provider.id))
      : '';
    try {
      const answer = await authenticate(
        provider.settings as unknown as LdapSettings,
        bindPassword,
        username,
        password,
      );
      if (!answer.ok) return { outcome: answer.reason, person: null, mapped: null };
      const claims = directoryClaims(answer.person);
      const mapped = mapClaims(claims, provider.rules, provider.defaultRole);
      return {
        outcome: 'ok' as const,
        person: {
          dn: answer.person.dn,
          email: answer.person.email,
          displayName: answer.person.displayName,
          groups: answer.person.groups.map((g) => g.name),
        },
        mapped: mapped.grant,
      };
    } catch (err) {
      return {
        outcome: 'unreachable' as const,
        person: null,
        mapped: null,
        detail: (err as Error).message.slice(0, 300),
      };
    }
  }

  async signIn(
    provider: IdentityProviderRow,
    username: string,
    password: string,
  ): Promise<DirectoryAnswer> {
    if (!provider.secretSealed)
      throw apiError(503, 'BW_ERR_DIRECTORY_UNAVAILABLE', 'the directory is not set up yet');
    const bindPassword = this.secrets.open(provider.secretSealed, secretContext(provider.id));
    let answer;
    try {
      answer = await authenticate(
        provider.settings as unknown as LdapSettings,
        bindPassword,
        username,
        password,
      );
    } catch (err) {
      // The directory down, its certificate not trusted, the service account refused: the
      // hub's side, never the person's, and not told to them in detail.
      this.logger?.warn(
        { provider: provider.id, err: (err as Error).message },
        'LDAP directory unreachable',
      );
      return { ok: false, provider, reason: 'directory_unreachable' };
    }
    if (!answer.ok) {
      if (answer.reason === 'not_found')
        await this.provisioning.directoryDropped(provider, username.trim());
      return {
        ok: false,
        provider,
        reason: answer.reason === 'not_found' ? 'not_in_directory' : 'invalid_credentials',
      };
    }
    const result = await this.provisioning.signIn(provider, {
      subject: answer.person.dn,
      loginName: username.trim(),
      email: answer.person.email?.toLowerCase() ?? null,
      displayName: answer.person.displayName,
      claims: directoryClaims(answer.person),
    });
    return result.ok
      ? { ok: true, userId: result.userId, provider }
      : { ok: false, provider, reason: result.reason };
  }
}
