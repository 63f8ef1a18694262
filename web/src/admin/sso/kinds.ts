import type { MessageKey } from '../../i18n';

/**
 * What the provider forms of every kind share (docs/sso.md): the kinds, the roles a rule may
 * give, the mapping modes, and how a kind's own settings are described — each kind's form
 * (OidcForm, SamlForm, LdapForm) holds its fields, defaults and secret.
 */
export type Kind = 'oidc' | 'saml' | 'ldap';
export const KINDS: Kind[] = ['oidc', 'saml', 'ldap'];
export const MAPPABLE_ROLES = [
  'tenant_admin',
  'noc_operator',
  'support_agent',
  'viewer',
  'requester',
];
export const MODES = ['replace', 'add_only', 'first_login'] as const;

export interface RuleDraft {
  claim: string;
  value: string;
  role: string;
  branchIds: string[];
}

/** A setting of the hub's (`settings.<name>`): a text, a switch, a long text or a choice. */
export interface SettingSpec {
  name: string;
  kind?: 'switch' | 'long' | 'choice';
}

export type Settings = Record<string, string | boolean>;

/** A kind's form: its settings, their defaults, and the write-only secret it takes, if any. */
export interface KindSpec {
  fields: SettingSpec[];
  defaults: Settings;
  /** The body's field for the secret and its label; none for a kind without one. */
  secret?: { field: 'clientSecret' | 'bindPassword'; label: MessageKey };
  /** The stored settings as the form shows them (SAML: a stored metadata document read). */
  load?: (stored: Settings) => Settings;
}
