/** The built-in roles; custom roles replace a built-in role's permissions (docs/api.md). */
export const ROLES = [
  'admin',
  'tenant_admin',
  'noc_operator',
  'support_agent',
  'viewer',
  // Branch staff: the requester portal, scoped to their branches (docs/requesters.md).
  'requester',
] as const;
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
  'portal.use', // the requester portal: file, follow, reply to, reopen and rate one's own tickets
  'portal.branch_tickets', // in the portal, every ticket of one's branches, not only one's own
  'branding.manage', // the tenant's product name, accent colour and logo (portal, mail, PDF)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** How long after resolution a requester may reopen a ticket in the portal. */
export const PORTAL_REOPEN_WINDOW_MS = 7 * 24 * 3600_000;
