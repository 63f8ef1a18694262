import { PERMISSIONS, type Permission, type Role } from '@branchwatch/api';

export { PERMISSIONS, type Permission };

/** Permissions only a user without a tenant may hold: they reach across tenants. */
export const GLOBAL_PERMISSIONS: readonly Permission[] = ['tenants.manage', 'releases.manage'];

const READ: Permission[] = [
  'inventory.read',
  'tickets.read',
  'knowledge.read',
  'knowledge.internal',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  tenant_admin: PERMISSIONS.filter((p) => !GLOBAL_PERMISSIONS.includes(p)),
  noc_operator: [...READ, 'inventory.write', 'tickets.write', 'alerts.manage', 'knowledge.manage'],
  support_agent: [...READ, 'tickets.write', 'knowledge.manage'],
  viewer: READ,
  // Their branch's health and checks (inventory, limited to their branches by row-level
  // security) and their own tickets through the portal; never the desk's queue.
  requester: ['inventory.read', 'knowledge.read', 'portal.use'],
};

export function isPermission(name: string): name is Permission {
  return (PERMISSIONS as readonly string[]).includes(name);
}

/**
 * A user's effective permissions: the custom role's when one is assigned, else the built-in
 * role's. Global permissions are dropped for users bound to a tenant, whatever a role says.
 */
export function effectivePermissions(
  role: Role,
  custom: readonly string[] | null,
  tenantId: string | null,
): Set<Permission> {
  const granted = custom ? custom.filter(isPermission) : ROLE_PERMISSIONS[role];
  return new Set(granted.filter((p) => tenantId === null || !GLOBAL_PERMISSIONS.includes(p)));
}
