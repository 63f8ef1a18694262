import type { Database } from '../../db/database.js';

/** What a tenant (or, with no tenant, the hub) set; null where it set nothing. */
export interface BrandingRow {
  tenantId: string | null;
  productName: string | null;
  accentColor: string | null;
  logoType: string | null;
  updatedAt: Date;
}

export interface Logo {
  content: Buffer;
  type: string;
}

const COLUMNS = [
  'tenant_id as tenantId',
  'product_name as productName',
  'accent_color as accentColor',
  'logo_type as logoType',
  'updated_at as updatedAt',
];

/** The `branding` table (migration 038): one row a tenant, one for the hub's defaults. */
export class BrandingRepository {
  constructor(private readonly db: Database) {}

  private row(tenantId: string | null) {
    const query = this.db('branding');
    return tenantId ? query.where({ tenant_id: tenantId }) : query.whereNull('tenant_id');
  }

  async find(tenantId: string | null): Promise<BrandingRow | undefined> {
    return (await this.row(tenantId).first(COLUMNS)) as BrandingRow | undefined;
  }

  async logo(tenantId: string | null): Promise<Logo | undefined> {
    const row = (await this.row(tenantId).whereNotNull('logo').first('logo', 'logo_type')) as
      { logo: Buffer; logo_type: string } | undefined;
    return row ? { content: row.logo, type: row.logo_type } : undefined;
  }

  /** Sets the given columns of the row, making it first if there is none. */
  async save(
    tenantId: string | null,
    values: Partial<{
      product_name: string | null;
      accent_color: string | null;
      logo: Buffer | null;
      logo_type: string | null;
    }>,
  ): Promise<void> {
    const changes = { ...values, updated_at: this.db.fn.now() };
    const updated = await this.row(tenantId).update(changes);
    if (updated === 0) await this.db('branding').insert({ tenant_id: tenantId, ...changes });
  }
}
