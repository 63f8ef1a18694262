import createError, { type HttpError } from 'http-errors';

/**
 * Every error the API returns has a status, a stable code that clients may switch on, and a
 * message written for the person who sees it (docs/contributing.md; like fastify's FST_ERR_*).
 */
export type ErrorCode =
  | 'BW_ERR_UNAUTHENTICATED'
  | 'BW_ERR_BAD_CREDENTIALS'
  | 'BW_ERR_FORBIDDEN'
  | 'BW_ERR_VALIDATION'
  | 'BW_ERR_NOT_FOUND'
  | 'BW_ERR_BRANCH_NOT_FOUND'
  | 'BW_ERR_TENANT_NOT_FOUND'
  | 'BW_ERR_TICKET_NOT_FOUND'
  | 'BW_ERR_ARTICLE_NOT_FOUND'
  | 'BW_ERR_CONFLICT'
  // Deleting what something still depends on; `details` counts the dependents
  | 'BW_ERR_BRANCH_IN_USE'
  | 'BW_ERR_TENANT_IN_USE'
  // Removing an article's file its current text still shows; `details.languages`
  | 'BW_ERR_FILE_IN_USE'
  | 'BW_ERR_INTERNAL'
  // Helpdesk and API: specific causes a client may act on
  | 'BW_ERR_TICKET_TRANSITION'
  | 'BW_ERR_TICKET_CHANGED'
  | 'BW_ERR_ALERT_STILL_FAILING'
  | 'BW_ERR_ATTACHMENT_TOO_LARGE'
  | 'BW_ERR_ATTACHMENT_TYPE'
  | 'BW_ERR_ATTACHMENT_NOT_MOVED'
  | 'BW_ERR_ATTACHMENT_INFECTED'
  // Requester portal: a resolved ticket past its reopen window; rating a ticket not resolved
  | 'BW_ERR_REOPEN_WINDOW'
  | 'BW_ERR_NOT_RESOLVED'
  // Branding: a logo that is not PNG or JPEG (or SVG), too large; an accent white text fails on
  | 'BW_ERR_LOGO_TYPE'
  | 'BW_ERR_LOGO_TOO_LARGE'
  | 'BW_ERR_ACCENT_CONTRAST'
  // Identity
  | 'BW_ERR_CSRF'
  | 'BW_ERR_RATE_LIMITED'
  | 'BW_ERR_ACCOUNT_DISABLED'
  | 'BW_ERR_MFA_INVALID'
  | 'BW_ERR_MFA_TICKET'
  // A new password the tenant's policy refuses; `details.reason`: too_short, common, reused
  | 'BW_ERR_PASSWORD_POLICY'
  // Sign-in through a tenant's identity provider (identity/sso/)
  | 'BW_ERR_SSO_REQUIRED'
  | 'BW_ERR_SSO_FAILED'
  | 'BW_ERR_SSO_NO_ROLE'
  | 'BW_ERR_SSO_REFUSED'
  | 'BW_ERR_DOMAIN_TAKEN'
  // Availability: try again later
  | 'BW_ERR_DATABASE_UNAVAILABLE'
  | 'BW_ERR_TIMEOUT'
  | 'BW_ERR_TOO_MANY_UPLOADS'
  | 'BW_ERR_SCANNER_UNAVAILABLE'
  // A tenant's LDAP directory does not answer (or refuses the hub's service account)
  | 'BW_ERR_DIRECTORY_UNAVAILABLE';

export type ApiError = HttpError & { code: ErrorCode; details?: unknown };

export function apiError(
  status: number,
  code: ErrorCode,
  message: string,
  details?: unknown,
): ApiError {
  const err = createError(status, message, { code, expose: status < 500 }) as ApiError;
  if (details !== undefined) err.details = details;
  return err;
}

export const notFound = (code: ErrorCode, message: string) => apiError(404, code, message);
export const conflict = (message: string) => apiError(409, 'BW_ERR_CONFLICT', message);

/**
 * Refuses to delete `subject` while something still depends on it: 409 with `code`, a message
 * that names what is left (`names` words each count) and the counts in `details`.
 */
export function refuseWhileUsed(
  code: 'BW_ERR_BRANCH_IN_USE' | 'BW_ERR_TENANT_IN_USE',
  subject: string,
  counts: Record<string, number>,
  names: Record<string, string>,
): void {
  const left = Object.entries(counts).filter(([, n]) => n > 0);
  if (left.length === 0) return;
  const what = left.map(([kind, n]) => `${n} ${names[kind] ?? kind}`).join(', ');
  throw apiError(409, code, `${subject} still has ${what}: remove or move them first`, counts);
}

/**
 * A unique violation (PostgreSQL 23505) as 409 naming what already exists; anything else is
 * thrown on as it is.
 */
export function rethrowDuplicate(err: unknown, what: string): never {
  if ((err as { code?: string }).code === '23505') throw conflict(`${what} exists already`);
  throw err;
}
