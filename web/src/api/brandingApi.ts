import type { ApiClient } from './client';
import type { ApiAnswer, ApiBody } from './types';

// Branding (hub/src/identity/branding/, docs/branding.md): what the signed-in person's pages
// show, and what a tenant admin sets.

export type Brand = ApiAnswer<'/api/v1/branding', 'get'>['branding'];
export type BrandingSettings = ApiAnswer<'/api/v1/branding/settings', 'get'>['branding'];
export type BrandingInput = ApiBody<'/api/v1/branding/settings', 'put'>;

const tenantQuery = (tenantId: string | null) =>
  tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : '';

/** Where the person's own logo is (a new logo, a new address). */
export const brandLogoUrl = (brand: Brand) =>
  brand.logoVersion ? `/api/v1/branding/logo?v=${encodeURIComponent(brand.logoVersion)}` : null;

/** Where the logo an admin set for a tenant (or the hub) is, for the card's preview. */
export const settingsLogoUrl = (tenantId: string | null, version: number) =>
  `/api/v1/branding/settings/logo${tenantQuery(tenantId) || '?'}${tenantId ? '&' : ''}v=${version}`;

export function brandingApi(api: ApiClient) {
  return {
    mine: async () => (await api.send<{ branding: Brand }>('GET', '/api/v1/branding')).branding,
    settings: async (tenantId: string | null) =>
      (
        await api.send<{ branding: BrandingSettings }>(
          'GET',
          `/api/v1/branding/settings${tenantQuery(tenantId)}`,
        )
      ).branding,
    save: async (input: BrandingInput) =>
      (await api.send<{ branding: BrandingSettings }>('PUT', '/api/v1/branding/settings', input))
        .branding,
    uploadLogo: (tenantId: string | null, file: File) =>
      api.uploadFile(`/api/v1/branding/settings/logo${tenantQuery(tenantId)}`, file),
    removeLogo: (tenantId: string | null) =>
      api.send<unknown>('DELETE', `/api/v1/branding/settings/logo${tenantQuery(tenantId)}`),
  };
}
