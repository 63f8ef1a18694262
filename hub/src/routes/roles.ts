import { apiError } from '../errors.js';
import type { Role } from '../models/user.model.js';
import type { SessionUser } from '../services/auth.service.js';

/** Who may work on tickets: everyone but viewers. */
export const TICKET_WRITERS: readonly Role[] = [
  'admin',
  'tenant_admin',
  'noc_operator',
  'support_agent',
];
/** Who may change SLA policies, calendars, support groups and canned replies. */
export const HELPDESK_ADMINS: readonly Role[] = ['admin', 'tenant_admin'];

export function requireRole(user: SessionUser, roles: readonly Role[]): void {
  if (!roles.includes(user.role)) {
    throw apiError(403, 'BW_ERR_FORBIDDEN', `the ${user.role} role may not do this`);
  }
}
