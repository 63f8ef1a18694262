import { z } from 'zod';
import { ROLES } from '@branchwatch/api';
import { timestamp, uuid } from '../../http/schemas.js';

const domain = z
  .string()
  .max(253)
  .transform((d) => d.trim().toLowerCase())
  .pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/));

const rule = z.strictObject({
  claim: z.string().min(1).max(200),
  value: z.string().min(1).max(500),
  role: z.enum(ROLES).nullable().default(null),
  customRoleId: z.uuid().nullable().default(null),
  /** Null or left out: the whole tenant. */
  branchIds: z.array(z.uuid()).max(1000).nullable().default(null),
});

export const oidcSettings = z.strictObject({
  issuer: z.url().max(500),
  clientId: z.string().min(1).max(500),
  scopes: z.array(z.string().min(1).max(100)).max(20).default(['openid', 'email', 'profile']),
  /** The claim that holds the person's groups or roles. */
  groupsClaim: z.string().min(1).max(200).default('groups'),
  emailClaim: z.string().min(1).max(200).default('email'),
});

/** The IdP's metadata pasted, or its entity id, sign-in URL and certificate typed (no URL fetched). */
export const samlSettings = z.strictObject({
  /** The IdP's metadata document (XML), as its admin page exports it. */
  idpMetadataXml: z.string().min(1).max(200_000).optional(),
  idpEntityId: z.string().min(1).max(500).optional(),
  /** The IdP's SingleSignOnService (HTTP-Redirect binding). */
  idpSsoUrl: z.url().max(2000).optional(),
  /** The IdP's SingleLogoutService (HTTP-Redirect binding); none: no single logout. */
  idpSloUrl: z.url().max(2000).optional(),
  /** The IdP's signing certificate, PEM (several one after another during a rollover). */
  idpCertificate: z.string().min(1).max(50_000).optional(),
  groupsAttribute: z.string().min(1).max(500).default('groups'),
  emailAttribute: z.string().min(1).max(500).default('email'),
  /** Answers signed with SHA-1: refused unless on (docs/sso.md "Security report"). */
  acceptSha1: z.boolean().default(false),
});

/** LDAP or Active Directory (identity/ldap/ldap-directory.ts says what each field does). */
export const ldapSettings = z
  .strictObject({
    url: z
      .string()
      .max(500)
      .regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'an ldap:// or ldaps:// address with a host'),
    startTls: z.boolean().default(false),
    caPem: z
      .string()
      .max(20_000)
      .regex(/-----BEGIN CERTIFICATE-----/, 'a PEM certificate')
      .optional(),
    bindDn: z.string().min(1).max(1000),
    userBaseDn: z.string().min(1).max(1000),
    userFilter: z
      .string()
      .min(3)
      .max(2000)
      .refine((f) => f.includes('{username}'), 'must hold {username}'),
    groupLookup: z.enum(['memberOf', 'member']).default('memberOf'),
    groupBaseDn: z.string().min(1).max(1000).optional(),
    nestedGroups: z.boolean().default(true),
    activeDirectoryInChain: z.boolean().default(false),
    emailAttribute: z.string().min(1).max(200).default('mail'),
    displayNameAttribute: z.string().min(1).max(200).default('displayName'),
    timeoutSeconds: z.number().int().min(1).max(60).default(10),
  })
  .refine((s) => !(s.startTls && s.url.startsWith('ldaps:')), {
    message: 'StartTLS is for ldap://; ldaps:// is TLS already',
    path: ['startTls'],
  });

const common = {
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  domains: z.array(domain).max(50).default([]),
  provisionUsers: z.boolean().default(true),
  mappingMode: z.enum(['replace', 'add_only', 'first_login']).default('replace'),
  defaultRole: z.enum(ROLES).nullable().default(null),
  trustMfa: z.boolean().default(false),
  mfaValues: z.array(z.string().min(1).max(300)).max(20).default([]),
  rules: z.array(rule).max(200).default([]),
  /** For a global admin: the tenant the provider belongs to. */
  tenantId: z.uuid().optional(),
};

export const providerInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('oidc'),
    ...common,
    settings: oidcSettings,
    /** Write-only; left out on a change: the stored one stays. */
    clientSecret: z.string().min(1).max(2000).optional(),
  }),
  z.strictObject({ kind: z.literal('saml'), ...common, settings: samlSettings }),
  z.strictObject({
    kind: z.literal('ldap'),
    ...common,
    settings: ldapSettings,
    /** The service account's password. Write-only; left out on a change: the stored one stays. */
    bindPassword: z.string().min(1).max(2000).optional(),
  }),
]);
export type ProviderInput = z.infer<typeof providerInput>;

export const providerAnswer = z.object({
  id: uuid,
  tenantId: uuid,
  kind: z.enum(['oidc', 'saml', 'ldap']),
  name: z.string(),
  enabled: z.boolean(),
  domains: z.array(z.string()),
  settings: z.record(z.string(), z.unknown()),
  hasSecret: z.boolean(),
  provisionUsers: z.boolean(),
  mappingMode: z.enum(['replace', 'add_only', 'first_login']),
  defaultRole: z.string().nullable(),
  trustMfa: z.boolean(),
  mfaValues: z.array(z.string()),
  rules: z.array(
    z.object({
      claim: z.string(),
      value: z.string(),
      role: z.string().nullable(),
      customRoleId: uuid.nullable(),
      branchIds: z.array(uuid).nullable(),
    }),
  ),
  /** Where the provider sends people back (what its admin types on their side). */
  redirectUrl: z.string(),
  /** SAML: this hub's entity id (also the URL of its metadata). */
  spEntityId: z.string().optional(),
  /** SAML: the IdP's signing certificates, whose and until when (a rollover shows two). */
  idpCertificates: z.array(z.object({ subject: z.string(), notAfter: timestamp })).optional(),
  /** SAML: the hub's own certificates for this provider (signing, encryption), as published. */
  spCertificates: z
    .array(
      z.object({ use: z.enum(['signing', 'encryption']), notAfter: timestamp, pem: z.string() }),
    )
    .optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** What a provider said in an admin's test sign-in, and what it would map to; nobody signed in. */
export const providerTestResult = z.object({
  providerId: uuid,
  kind: z.enum(['oidc', 'saml']),
  /** OIDC `sub` or the SAML NameID: who the provider vouched for. */
  subject: z.string(),
  email: z.string().nullable(),
  /** Every claim (OIDC) or attribute (SAML) received, each as its values in text. */
  claims: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  /** The role and branches the rules give (null: no access), before the provider's mode. */
  mapped: z
    .object({ role: z.string(), customRoleId: uuid.nullable(), branchIds: z.array(uuid) })
    .nullable(),
  /** Whether the tenant trusts the provider's MFA, and whether this answer proved it. */
  mfa: z.object({ trusted: z.boolean(), proven: z.boolean() }),
  at: timestamp,
});
export type ProviderTestResult = z.infer<typeof providerTestResult>;
