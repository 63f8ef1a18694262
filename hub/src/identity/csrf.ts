import { createHash, timingSafeEqual } from 'node:crypto';
import { apiError } from '../http/errors.js';

/**
 * CSRF protection for cookie sessions: the signed double-submit cookie of OWASP's CSRF
 * cheat sheet. The `bw_csrf` cookie (readable by the page's JavaScript) holds a value derived
 * from the session token; unsafe requests that authenticate by cookie must echo it in
 * `X-CSRF-Token`. Another site can make the browser send the cookies but cannot read them, so
 * it cannot write the header. Bearer requests carry no ambient credential and are exempt.
 */
export const CSRF_COOKIE = 'bw_csrf';
export const CSRF_HEADER = 'x-csrf-token';

// RFC 9110 §9.2.1: these methods are safe and must not change state.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// A forged logout only signs the victim out, and SameSite=Lax already keeps the cookie off
// cross-site POSTs; exempt so that a plain form or script without the header can sign out.
const EXEMPT_PATHS = new Set(['/api/v1/auth/logout']);

export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`bw-csrf:${sessionToken}`).digest('base64url');
}

/** Throws 403 when an unsafe cookie-authenticated request lacks the matching header. */
export function assertCsrf(
  req: { method: string; path: string },
  sessionToken: string,
  header: string,
): void {
  if (SAFE_METHODS.has(req.method.toUpperCase()) || EXEMPT_PATHS.has(req.path)) return;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(header);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw apiError(
      403,
      'BW_ERR_CSRF',
      `missing or wrong ${CSRF_HEADER} header: send the value of the ${CSRF_COOKIE} cookie`,
    );
  }
}
