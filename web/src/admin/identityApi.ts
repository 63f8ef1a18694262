import type { ApiClient } from '../api/client';
import type { ItemList } from '../api/types';

// Users, roles, tenants and 2FA. These routes were written while this file was: the
// paths now match hub/src/routes/{users,tenants,two-factor}.routes.ts; the item shapes
// (notably `totpEnabled`) are ASSUMED, kept in this one file so they are easy to adjust.
// A 404 from any of them means "this hub does not have it yet", and the pages say so.

export const ROLES = ['admin', 'tenant_admin', 'noc_operator', 'support_agent', 'viewer'] as const;

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

export interface AdminUser {
  id: string;
  username: string;
  role: string;
  tenant?: string | null;
  /** Whether the user has a confirmed second factor. */
  totpEnabled?: boolean;
}

/** What enrolling a second factor starts with: the secret as an otpauth URL and maybe a QR. */
export interface TotpSetup {
  otpauthUrl: string;
  secret?: string;
  /** A data: URL of the QR code, if the hub renders it; otherwise the page draws one. */
  qr?: string;
}

export function identityApi(api: ApiClient) {
  const items = async <T>(path: string) => (await api.send<ItemList<T>>('GET', path)).items;
  return {
    tenants: () => items<Tenant>('/api/v1/tenants'),
    createTenant: (input: { slug: string; name: string }) =>
      api.send<unknown>('POST', '/api/v1/tenants', input),
    users: () => items<AdminUser>('/api/v1/users'),
    createUser: (input: { username: string; password: string; role: string }) =>
      api.send<unknown>('POST', '/api/v1/users', input),
    changeRole: (userId: string, role: string) =>
      api.send<unknown>('PATCH', `/api/v1/users/${encodeURIComponent(userId)}`, { role }),
    /** For the signed-in user: starts enrolment; confirmed with a code from the app. */
    startTotp: async (): Promise<TotpSetup> => {
      // hub/src/identity/two-factor.routes.ts: `{ secret, uri, qrCode }` (qrCode a PNG data: URL).
      const r = await api.send<{ secret: string; uri: string; qrCode?: string }>(
        'POST',
        '/api/v1/auth/2fa/enrol',
      );
      return { otpauthUrl: r.uri, secret: r.secret, ...(r.qrCode ? { qr: r.qrCode } : {}) };
    },
    totpStatus: () =>
      api.send<{ enabled: boolean; recoveryCodesLeft: number }>('GET', '/api/v1/auth/2fa'),
    /** Turns 2FA on; answers the recovery codes, which the hub shows this once. */
    confirmTotp: async (code: string) =>
      (
        await api.send<{ enabled: boolean; recoveryCodes: string[] }>(
          'POST',
          '/api/v1/auth/2fa/confirm',
          { code },
        )
      ).recoveryCodes,
  };
}
