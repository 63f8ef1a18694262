/** The built-in roles; custom roles replace a built-in role's permissions (docs/api.md). */
export const ROLES = ['admin', 'tenant_admin', 'noc_operator', 'support_agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The fixed list of permissions (docs/architecture.md "Tenants and access"). Built-in roles are
 * fixed sets of them; custom roles are any subset. Each route names the one it needs.
 */
export const PERMISSIONS = [
  'inventory.read', // branches, agents, checks, series, topology, alert settings (read)
  'inventory.write', // branches, agents, checks, enrollment tokens, rollout groups
  'tickets.read',
  'tickets.write',
  'tickets.delete', // deleting a ticket and its history for good (audited)
  'alerts.manage', // alert rules, maintenance windows, parent links, priority overrides
  'sla.manage', // SLA policies and calendars, support groups, canned replies, automation rules
  'users.manage', // users and custom roles of the tenant
  'tenants.manage', // all tenants (global admins only)
  'releases.manage', // agent release uploads (global)
  'audit.read',
  'knowledge.read', // published articles for everyone (requesters too), search, suggestions
  'knowledge.internal', // articles for staff: internal audience and the internal state
  'knowledge.manage', // writing articles, versions and rollback, the knowledge reports
] as const;
export type Permission = (typeof PERMISSIONS)[number];
