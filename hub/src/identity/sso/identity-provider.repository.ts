import type { Database } from '../../db/database.js';

export type ProviderKind = 'oidc' | 'saml' | 'ldap';
export type MappingMode = 'replace' | 'add_only' | 'first_login';

/** One mapping rule: a value of a claim (or attribute, or group) → a role and branches. */
export interface MappingRule {
  claim: string;
  value: string;
  /** A built-in role; or null with `customRoleId`. */
  role: string | null;
  customRoleId: string | null;
  /** Null: the whole tenant. */
  branchIds: string[] | null;
}

export interface IdentityProviderRow {
  id: string;
  tenantId: string;
  kind: ProviderKind;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  secretSealed: string | null;
  provisionUsers: boolean;
  mappingMode: MappingMode;
  defaultRole: string | null;
  trustMfa: boolean;
  mfaValues: string[];
  domains: string[];
  rules: MappingRule[];
  /** SAML: the hub's own certificates for this provider (public); null until made. */
  spCertificates: SpCertificate[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One of the hub's certificates for a SAML provider, as its SP metadata publishes it. */
export interface SpCertificate {
  use: 'signing' | 'encryption';
  pem: string;
  /** ISO 8601. */
  notAfter: string;
  createdAt: string;
}

export type ProviderValues = Omit<
  IdentityProviderRow,
  'id' | 'createdAt' | 'updatedAt' | 'spCertificates'
>;

const COLUMNS = [
  'p.id',
  'p.tenant_id as tenantId',
  'p.kind',
  'p.name',
  'p.enabled',
  'p.settings',
  'p.secret_sealed as secretSealed',
  'p.provision_users as provisionUsers',
  'p.mapping_mode as mappingMode',
  'p.default_role as defaultRole',
  'p.trust_mfa as trustMfa',
  'p.mfa_values as mfaValues',
  'p.sp_certificates as spCertificates',
  'p.created_at as createdAt',
  'p.updated_at as updatedAt',
];

/** Identity providers of tenants, their domains and mapping rules (migration 026). */
export class IdentityProviderRepository {
  constructor(private readonly db: Database) {}

  async list(tenantId: string | null): Promise<IdentityProviderRow[]> {
    const q = this.db('identity_providers as p').select(...COLUMNS);
    if (tenantId) void q.where('p.tenant_id', tenantId);
    return this.withDetails(await q.orderBy(['p.tenant_id', 'p.name']));
  }

  async find(id: string): Promise<IdentityProviderRow | undefined> {
    const row = await this.db('identity_providers as p')
      .where('p.id', id)
      .first(...COLUMNS);
    return row ? (await this.withDetails([row]))[0] : undefined;
  }

  /** The enabled provider an e-mail domain routes to, in any tenant (the login page). */
  async findByDomain(domain: string): Promise<IdentityProviderRow | undefined> {
    const row = await this.db('identity_provider_domains as d')
      .join('identity_providers as p', 'p.id', 'd.provider_id')
      .where('d.domain', domain.toLowerCase())
      .andWhere('p.enabled', true)
      .first(...COLUMNS);
    return row ? (await this.withDetails([row]))[0] : undefined;
  }

  /** Enabled providers of the tenant with this slug (the tenant's login page). */
  async listEnabledForTenantSlug(slug: string): Promise<IdentityProviderRow[]> {
    const rows = await this.db('identity_providers as p')
      .join('tenants as t', 't.id', 'p.tenant_id')
      .where('t.slug', slug)
      .andWhere('p.enabled', true)
      .select(...COLUMNS)
      .orderBy('p.name');
    return this.withDetails(rows);
  }

  /** Domains among `domains` that another provider already routes. */
  async domainsTaken(domains: string[], exceptProvider: string | null): Promise<string[]> {
    if (!domains.length) return [];
    const q = this.db('identity_provider_domains').whereIn('domain', domains);
    if (exceptProvider) void q.whereNot('provider_id', exceptProvider);
    return ((await q.select('domain')) as { domain: string }[]).map((r) => r.domain);
  }

  async tenantHasEnabledProvider(tenantId: string): Promise<boolean> {
    const row = await this.db('identity_providers')
      .where({ tenant_id: tenantId, enabled: true })
      .first('id');
    return row !== undefined;
  }

  async create(values: ProviderValues): Promise<string> {
    const [row] = (await this.db('identity_providers').insert(toRow(values)).returning('id')) as {
      id: string;
    }[];
    await this.replaceDetails(row!.id, values);
    return row!.id;
  }

  async update(id: string, values: ProviderValues): Promise<void> {
    await this.db('identity_providers')
      .where({ id })
      .update({ ...toRow(values), updated_at: this.db.fn.now() });
    await this.replaceDetails(id, values);
  }

  /** The sealed private keys of the hub's side of a SAML provider; null: none made yet. */
  async spKeysSealed(id: string): Promise<string | null> {
    const row = (await this.db('identity_providers').where({ id }).first('sp_keys_sealed')) as
      { sp_keys_sealed: string | null } | undefined;
    return row?.sp_keys_sealed ?? null;
  }

  /**
   * Stores new keys. `onlyIfNone`: the keys a first use makes, kept only when no other hub
   * process made them first (false: someone did; read theirs).
   */
  async setSpKeys(
    id: string,
    sealed: string,
    certificates: SpCertificate[],
    onlyIfNone: boolean,
  ): Promise<boolean> {
    const q = this.db('identity_providers').where({ id });
    if (onlyIfNone) void q.whereNull('sp_keys_sealed');
    const changed = await q.update({
      sp_keys_sealed: sealed,
      sp_certificates: JSON.stringify(certificates),
    });
    return changed === 1;
  }

  async delete(id: string): Promise<void> {
    await this.db('identity_providers').where({ id }).delete();
  }

  private async replaceDetails(id: string, values: ProviderValues): Promise<void> {
    await this.db('identity_provider_domains').where({ provider_id: id }).delete();
    if (values.domains.length)
      await this.db('identity_provider_domains').insert(
        values.domains.map((domain) => ({ domain, provider_id: id })),
      );
    await this.db('identity_provider_rules').where({ provider_id: id }).delete();
    if (values.rules.length)
      await this.db('identity_provider_rules').insert(
        values.rules.map((r, position) => ({
          provider_id: id,
          position,
          claim: r.claim,
          value: r.value,
          role: r.role,
          custom_role_id: r.customRoleId,
          branch_ids: r.branchIds,
        })),
      );
  }

  private async withDetails(
    rows: Omit<IdentityProviderRow, 'domains' | 'rules'>[],
  ): Promise<IdentityProviderRow[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const domains = (await this.db('identity_provider_domains')
      .whereIn('provider_id', ids)
      .orderBy('domain')
      .select('provider_id', 'domain')) as { provider_id: string; domain: string }[];
    const rules = (await this.db('identity_provider_rules')
      .whereIn('provider_id', ids)
      .orderBy('position')
      .select(
        'provider_id',
        'claim',
        'value',
        'role',
        'custom_role_id as customRoleId',
        'branch_ids as branchIds',
      )) as (MappingRule & { provider_id: string })[];
    return rows.map((r) => ({
      ...r,
      domains: domains.filter((d) => d.provider_id === r.id).map((d) => d.domain),
      rules: rules.filter((x) => x.provider_id === r.id).map(({ provider_id: _, ...rule }) => rule),
    }));
  }
}

function toRow(v: ProviderValues) {
  return {
    tenant_id: v.tenantId,
    kind: v.kind,
    name: v.name,
    enabled: v.enabled,
    settings: JSON.stringify(v.settings),
    secret_sealed: v.secretSealed,
    provision_users: v.provisionUsers,
    mapping_mode: v.mappingMode,
    default_role: v.defaultRole,
    trust_mfa: v.trustMfa,
    mfa_values: v.mfaValues,
  };
}
