import {
  ACCENT_PATTERN,
  contrastWithWhite,
  DEFAULT_ACCENT,
  DEFAULT_PRODUCT_NAME,
  MIN_ACCENT_CONTRAST,
} from '@branchwatch/api';
import type { Database } from '../../db/database.js';
import { apiError, notFound } from '../../http/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Administrator } from '../user-admin.service.js';
import type { BrandingRepository, BrandingRow, Logo } from './branding.repository.js';
import { logoFile } from './logo-file.js';

/** What a tenant's people see: the tenant's own, else the hub's defaults, else the product's. */
export interface Brand {
  productName: string;
  /** null: the product's own colours (the portal keeps its theme). */
  accentColor: string | null;
  /** Changes with each new logo (a cache key); null without a logo. */
  logoVersion: string | null;
}

/** What an admin set for one tenant (or for the hub), and what shows where it set nothing. */
export interface BrandingSettings {
  tenantId: string | null;
  productName: string | null;
  accentColor: string | null;
  hasLogo: boolean;
  /** What the tenant's people see where it set nothing: the hub's own branding. */
  fallback: Brand;
}

export interface BrandingInput {
  tenantId?: string | null;
  productName: string | null;
  accentColor: string | null;
}

const version = (row: BrandingRow) => String(row.updatedAt.getTime());

/** Reads the branding a tenant's people see (the portal, mails, PDFs); no admin's checks. */
export class BrandReader {
  constructor(protected readonly repo: BrandingRepository) {}

  /** The branding a tenant's people see (the hub's defaults for `null`). */
  async brandOf(tenantId: string | null): Promise<Brand> {
    const own = tenantId ? await this.repo.find(tenantId) : undefined;
    const hub = await this.repo.find(null);
    const logoFrom = own?.logoType ? own : hub?.logoType ? hub : undefined;
    return {
      productName: own?.productName ?? hub?.productName ?? DEFAULT_PRODUCT_NAME,
      accentColor: own?.accentColor ?? hub?.accentColor ?? null,
      logoVersion: logoFrom ? `${logoFrom.tenantId ?? 'hub'}-${version(logoFrom)}` : null,
    };
  }

  /** The logo a tenant's people see: the tenant's, else the hub's. */
  async logoOf(tenantId: string | null): Promise<Logo | undefined> {
    return (tenantId ? await this.repo.logo(tenantId) : undefined) ?? this.repo.logo(null);
  }

  /** Name, accent (the product's when none is set) and logo, for a mail or a PDF. */
  async documentBrand(tenantId: string | null): Promise<DocumentBrand> {
    const brand = await this.brandOf(tenantId);
    const logo = brand.logoVersion ? await this.logoOf(tenantId) : undefined;
    return {
      productName: brand.productName,
      accentColor: brand.accentColor ?? DEFAULT_ACCENT,
      ...(logo ? { logo } : {}),
    };
  }
}

/** What a mail or a PDF shows of the branding. */
export interface DocumentBrand {
  productName: string;
  accentColor: string;
  logo?: Logo;
}

/**
 * Branding (docs/branding.md): a tenant admin sets their tenant's product name, accent colour
 * and logo (`branding.manage`); a global admin sets the hub's own, shown wherever a tenant set
 * nothing. The portal, notification mails and ticket PDFs ask `brandOf` for the tenant they
 * are for. Row-level security keeps a tenant's row to its own people (migration 038).
 */
export class BrandingService extends BrandReader {
  constructor(
    repo: BrandingRepository,
    private readonly db: Database,
    private readonly audit: AuditService,
  ) {
    super(repo);
  }

  async settings(admin: Administrator, named?: string | null): Promise<BrandingSettings> {
    const tenantId = await this.tenantOf(admin, named);
    const row = await this.repo.find(tenantId);
    return {
      tenantId,
      productName: row?.productName ?? null,
      accentColor: row?.accentColor ?? null,
      hasLogo: Boolean(row?.logoType),
      fallback: tenantId ? await this.brandOf(null) : this.productDefaults(),
    };
  }

  async save(admin: Administrator, input: BrandingInput): Promise<BrandingSettings> {
    const tenantId = await this.tenantOf(admin, input.tenantId);
    const accent = input.accentColor?.toLowerCase() ?? null;
    if (accent !== null) {
      if (!ACCENT_PATTERN.test(accent))
        throw apiError(400, 'BW_ERR_VALIDATION', 'accentColor: a colour as #rrggbb', {
          field: 'accentColor',
        });
      const contrast = contrastWithWhite(accent);
      if (contrast < MIN_ACCENT_CONTRAST)
        throw apiError(
          400,
          'BW_ERR_ACCENT_CONTRAST',
          `accentColor: white text on ${accent} has a contrast of ${contrast.toFixed(2)}:1; at least ${MIN_ACCENT_CONTRAST}:1 is needed`,
          { field: 'accentColor' },
        );
    }
    const before = await this.repo.find(tenantId);
    await this.repo.save(tenantId, { product_name: input.productName, accent_color: accent });
    await this.record(tenantId, {
      before: {
        productName: before?.productName ?? null,
        accentColor: before?.accentColor ?? null,
      },
      after: { productName: input.productName, accentColor: accent },
    });
    return this.settings(admin, tenantId);
  }

  async saveLogo(
    admin: Administrator,
    named: string | null | undefined,
    content: Buffer,
    declaredType: string,
  ): Promise<BrandingSettings> {
    const tenantId = await this.tenantOf(admin, named);
    const type = await logoFile(content, declaredType);
    await this.repo.save(tenantId, { logo: content, logo_type: type });
    await this.record(tenantId, { logo: { type, bytes: content.length } });
    return this.settings(admin, tenantId);
  }

  async removeLogo(admin: Administrator, named?: string | null): Promise<BrandingSettings> {
    const tenantId = await this.tenantOf(admin, named);
    await this.repo.save(tenantId, { logo: null, logo_type: null });
    await this.record(tenantId, { logo: null });
    return this.settings(admin, tenantId);
  }

  /** The logo an admin set for the tenant itself (not the hub's), for the card's preview. */
  async ownLogo(admin: Administrator, named?: string | null): Promise<Logo | undefined> {
    return this.repo.logo(await this.tenantOf(admin, named));
  }

  private productDefaults(): Brand {
    return { productName: DEFAULT_PRODUCT_NAME, accentColor: null, logoVersion: null };
  }

  private record(tenantId: string | null, details: Record<string, unknown>) {
    return this.audit.record({
      action: 'branding.changed',
      target: tenantId ? `tenant:${tenantId}` : 'hub',
      tenantId,
      details,
    });
  }

  /**
   * A tenant admin's own tenant (naming another is 404, as if it did not exist); a global
   * admin's named tenant, or the hub's own branding when they name none.
   */
  private async tenantOf(admin: Administrator, named?: string | null): Promise<string | null> {
    if (admin.tenantId) {
      if (named && named !== admin.tenantId)
        throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
      return admin.tenantId;
    }
    if (!named) return null;
    if (!(await this.db('tenants').where({ id: named }).first('id')))
      throw notFound('BW_ERR_TENANT_NOT_FOUND', `tenant ${named} does not exist`);
    return named;
  }
}
