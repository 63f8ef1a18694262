import type { Permission } from '@branchwatch/api';
import type { User } from '../api/types';

// What the signed-in person may use, from the permissions `/auth/me` answers. The hub refuses
// anything else anyway; this only keeps the UI from offering pages that would answer 403.

/** Whether the person holds `permission` (a session from login has none until `me` answers). */
export const may = (user: User, permission: Permission): boolean =>
  (user.permissions as readonly string[] | undefined)?.includes(permission) ?? false;

/**
 * Branch staff: the portal is their whole UI. The built-in role, or any custom role that can
 * use the portal but not the desk's tickets.
 */
export const isRequester = (user: User): boolean =>
  user.role === 'requester' || (may(user, 'portal.use') && !may(user, 'tickets.read'));

const ADMIN_PERMISSIONS: readonly Permission[] = [
  'inventory.write',
  'alerts.manage',
  'sla.manage',
  'users.manage',
  'tenants.manage',
];

/** The desk's pages and what each needs; a page the person cannot use is not offered. */
export const DESK_PAGE_NEEDS: Record<string, (user: User) => boolean> = {
  overview: (u) => may(u, 'inventory.read'),
  map: (u) => may(u, 'inventory.read'),
  tickets: (u) => may(u, 'tickets.read'),
  reports: (u) => may(u, 'tickets.read'),
  knowledge: (u) => may(u, 'knowledge.read'),
  admin: (u) => ADMIN_PERMISSIONS.some((p) => may(u, p)),
};
