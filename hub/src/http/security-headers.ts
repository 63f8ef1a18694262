import type { Middleware } from 'koa';

/**
 * What the browser may do with the hub's pages and answers (docs/security.md, "Headers"):
 * scripts only from the hub itself (an injected <script> or inline handler does not run),
 * no plugins, no <base> elsewhere, never inside another site's frame. Styles may be inline:
 * Mantine writes its CSS variables in a <style> element at run time.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the security headers on every answer, errors included (set before anything runs). */
export function securityHeaders(): Middleware {
  return (ctx, next) => {
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    // For browsers without frame-ancestors (RFC 7034).
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    // Only where the hub itself terminates TLS: behind a proxy, the proxy says it (deploy/nginx).
    if (ctx.req.socket && 'encrypted' in ctx.req.socket && ctx.req.socket.encrypted)
      ctx.set('Strict-Transport-Security', 'max-age=63072000');
    return next();
  };
}
