import { apiError, conflict, notFound } from '../../http/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SecretBox } from '../secret-box.js';
import type { RoleRepository } from '../role.repository.js';
import type { Administrator } from '../user-admin.service.js';
import type {
  IdentityProviderRepository,
  IdentityProviderRow,
  ProviderValues,
} from './identity-provider.repository.js';
import type { ProviderInput } from './identity-provider.schemas.js';
import { idpOf } from './saml-metadata.js';
import type { SpCertificate } from './identity-provider.repository.js';
import { makeSpKeyPair } from './sp-certificate.js';

/** The hub's private keys for a SAML provider with their certificates (PEM). */
export interface SpKeys {
  signingKey: string;
  signingCert: string;
  encryptionKey: string;
  encryptionCert: string;
}

/** The provider as admins see it: never the sealed secret. */
export type ProviderView = Omit<IdentityProviderRow, 'secretSealed'> & { hasSecret: boolean };

/** Identity providers of a tenant, managed by its admins (users.manage). */
export class IdentityProviderService {
  constructor(
    private readonly providers: IdentityProviderRepository,
    private readonly roles: RoleRepository,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
  ) {}

  async list(admin: Administrator): Promise<ProviderView[]> {
    return (await this.providers.list(admin.tenantId)).map(view);
  }

  async get(admin: Administrator, id: string): Promise<ProviderView> {
    return view(await this.providerOf(admin, id));
  }

  /** The stored provider with its sealed secret, for sign-in (no admin check). */
  find(id: string) {
    return this.providers.find(id);
  }

  openSecret(p: IdentityProviderRow): string | null {
    return p.secretSealed ? this.secrets.open(p.secretSealed, secretContext(p.id)) : null;
  }

  async create(admin: Administrator, input: ProviderInput): Promise<ProviderView> {
    const tenantId = admin.tenantId ?? input.tenantId;
    if (!tenantId)
      throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: a provider belongs to a tenant', {
        field: 'tenantId',
      });
    if (input.kind === 'ldap' && !input.bindPassword)
      throw apiError(
        400,
        'BW_ERR_VALIDATION',
        "bindPassword: the service account's password is needed to search the directory",
        { field: 'bindPassword' },
      );
    const values = await this.valuesOf(tenantId, input, null);
    const id = await this.providers.create(values).catch(duplicate(input.name));
    await this.setSecret(id, values, input);
    if (values.kind === 'saml') await this.makeSpKeys(id, values.name, true);
    await this.audit.record({
      action: 'sso.provider_created',
      target: `identity_provider:${id}`,
      tenantId,
      details: { after: summary(values) },
    });
    return this.get(admin, id);
  }

  async update(admin: Administrator, id: string, input: ProviderInput): Promise<ProviderView> {
    const before = await this.providerOf(admin, id);
    if (before.kind !== input.kind)
      throw apiError(400, 'BW_ERR_VALIDATION', 'kind: a provider keeps its kind', {
        field: 'kind',
      });
    const values = await this.valuesOf(before.tenantId, input, before);
    await this.providers.update(id, values).catch(duplicate(input.name));
    await this.setSecret(id, values, input);
    await this.audit.record({
      action: 'sso.provider_changed',
      target: `identity_provider:${id}`,
      tenantId: before.tenantId,
      details: { before: summary(before), after: summary(values) },
    });
    return this.get(admin, id);
  }

  async delete(admin: Administrator, id: string): Promise<void> {
    const before = await this.providerOf(admin, id);
    await this.providers.delete(id);
    await this.audit.record({
      action: 'sso.provider_deleted',
      target: `identity_provider:${id}`,
      tenantId: before.tenantId,
      details: { before: summary(before) },
    });
  }

  /**
   * The hub's keys for a SAML provider, made at its first use when it has none (a provider
   * saved before the hub had them): what signs its requests and decrypts its assertions.
   */
  async spKeys(provider: IdentityProviderRow): Promise<SpKeys> {
    let sealed = await this.providers.spKeysSealed(provider.id);
    if (!sealed) {
      await this.makeSpKeys(provider.id, provider.name, true);
      sealed = await this.providers.spKeysSealed(provider.id);
    }
    return JSON.parse(this.secrets.open(sealed!, spKeysContext(provider.id))) as SpKeys;
  }

  /**
   * New keys for the hub's side of a SAML provider (an admin's "rotate"): the old ones stop
   * at once, so the IdP's admin imports the hub's metadata again (docs/sso.md).
   */
  async rotateSpKeys(admin: Administrator, id: string): Promise<ProviderView> {
    const provider = await this.providerOf(admin, id);
    if (provider.kind !== 'saml')
      throw apiError(400, 'BW_ERR_VALIDATION', 'kind: only a SAML provider has the hub’s keys', {
        field: 'kind',
      });
    const before = (provider.spCertificates ?? []).map(certificateSummary);
    const after = await this.makeSpKeys(id, provider.name, false);
    await this.audit.record({
      action: 'sso.sp_keys_rotated',
      target: `identity_provider:${id}`,
      tenantId: provider.tenantId,
      details: { before, after: after.map(certificateSummary) },
    });
    return this.get(admin, id);
  }

  private async makeSpKeys(id: string, name: string, onlyIfNone: boolean) {
    const now = new Date();
    const signing = makeSpKeyPair(`Branchwatch ${name} signing`.slice(0, 64), now);
    const encryption = makeSpKeyPair(`Branchwatch ${name} encryption`.slice(0, 64), now);
    const keys: SpKeys = {
      signingKey: signing.keyPem,
      signingCert: signing.certPem,
      encryptionKey: encryption.keyPem,
      encryptionCert: encryption.certPem,
    };
    const certificates: SpCertificate[] = [
      { use: 'signing', pem: signing.certPem, notAfter: signing.notAfter.toISOString() },
      { use: 'encryption', pem: encryption.certPem, notAfter: encryption.notAfter.toISOString() },
    ].map((c) => ({ ...c, use: c.use as SpCertificate['use'], createdAt: now.toISOString() }));
    const sealed = this.secrets.seal(JSON.stringify(keys), spKeysContext(id));
    await this.providers.setSpKeys(id, sealed, certificates, onlyIfNone);
    return certificates;
  }

  async providerOf(admin: Administrator, id: string): Promise<IdentityProviderRow> {
    const found = await this.providers.find(id);
    if (!found || (admin.tenantId && found.tenantId !== admin.tenantId))
      throw notFound('BW_ERR_NOT_FOUND', `identity provider ${id} does not exist`);
    return found;
  }

  /** The OIDC client secret or the LDAP service account's password, when one is given. */
  private async setSecret(id: string, values: ProviderValues, input: ProviderInput) {
    const secret =
      input.kind === 'oidc'
        ? input.clientSecret
        : input.kind === 'ldap'
          ? input.bindPassword
          : undefined;
    if (!secret) return;
    values.secretSealed = this.secrets.seal(secret, secretContext(id));
    await this.providers.update(id, values);
  }

  private async valuesOf(
    tenantId: string,
    input: ProviderInput,
    before: IdentityProviderRow | null,
  ): Promise<ProviderValues> {
    if (input.kind === 'saml') {
      try {
        idpOf(input.settings);
      } catch (err) {
        const message = (err as Error).message;
        // idpOf names the field it missed; a metadata document's fault is the document's.
        const field = /^(idp[A-Za-z]+):/.exec(message)?.[1] ?? 'idpMetadataXml';
        throw apiError(
          400,
          'BW_ERR_VALIDATION',
          `settings.${field}: ${message.replace(/^idp[A-Za-z]+: /, '')}`,
          { field: `settings.${field}` },
        );
      }
    }
    const domains = [...new Set(input.domains)];
    const taken = await this.providers.domainsTaken(domains, before?.id ?? null);
    if (taken.length)
      throw apiError(
        409,
        'BW_ERR_DOMAIN_TAKEN',
        `domains: ${taken.join(', ')} already sign in through another provider`,
        { field: 'domains', domains: taken },
      );
    for (const [i, rule] of input.rules.entries()) {
      const field = `rules.${i}`;
      if ((rule.role === null) === (rule.customRoleId === null))
        throw apiError(400, 'BW_ERR_VALIDATION', `${field}: give either role or customRoleId`, {
          field,
        });
      if (rule.role === 'admin')
        throw apiError(403, 'BW_ERR_FORBIDDEN', `${field}.role: admin is for global admins`);
      if (rule.customRoleId) {
        const custom = await this.roles.findRole(rule.customRoleId);
        if (!custom || (custom.tenantId !== null && custom.tenantId !== tenantId))
          throw notFound('BW_ERR_NOT_FOUND', `role ${rule.customRoleId} does not exist`);
      }
      const branches = [...new Set(rule.branchIds ?? [])];
      if (
        branches.length &&
        (await this.roles.countTenantBranches(tenantId, branches)) !== branches.length
      )
        throw notFound('BW_ERR_BRANCH_NOT_FOUND', `${field}.branchIds: a branch does not exist`);
    }
    if (input.defaultRole === 'admin')
      throw apiError(403, 'BW_ERR_FORBIDDEN', 'defaultRole: admin is for global admins');
    return {
      tenantId,
      kind: input.kind,
      name: input.name,
      enabled: input.enabled,
      settings: input.settings,
      secretSealed: before?.secretSealed ?? null,
      provisionUsers: input.provisionUsers,
      mappingMode: input.mappingMode,
      defaultRole: input.defaultRole,
      trustMfa: input.trustMfa,
      mfaValues: input.mfaValues,
      domains,
      rules: input.rules,
    };
  }
}

/** What a provider's secret is sealed to (identity/secret-box.ts): its own row only. */
export const secretContext = (id: string) => `identity_providers.secret_sealed:${id}`;

/** What the hub's SAML private keys are sealed to: this provider's row only. */
const spKeysContext = (id: string) => `identity_providers.sp_keys_sealed:${id}`;

const certificateSummary = (c: SpCertificate) => ({ use: c.use, notAfter: c.notAfter });

function view(p: IdentityProviderRow): ProviderView {
  const { secretSealed, ...rest } = p;
  return { ...rest, hasSecret: secretSealed !== null };
}

/** What the audit chain keeps of a provider: no secret, no metadata document. */
function summary(p: ProviderValues & { spCertificates?: unknown }) {
  const { secretSealed: _, spCertificates: ___, settings, ...rest } = p;
  const { idpMetadataXml: __, ...shown } = settings as Record<string, unknown>;
  return { ...rest, settings: shown };
}

const duplicate = (name: string) => (err: { code?: string }) => {
  if (err.code === '23505') throw conflict(`identity provider ${name} exists`);
  throw err;
};
