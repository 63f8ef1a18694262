/**
 * The hub's addresses a provider's admin types on their side. They follow the address the
 * person reached the hub at (behind a trusted proxy, its X-Forwarded-Host and -Proto).
 */
export function ssoUrls(origin: string, providerId: string) {
  const base = `${origin}/sso/${providerId}`;
  return {
    oidcCallback: `${base}/callback`,
    samlAcs: `${base}/saml/acs`,
    samlMetadata: `${base}/saml/metadata`,
    samlSlo: `${base}/saml/slo`,
    logoutDone: `${origin}/login`,
  };
}
