import { xmldom, xpath, type XmlNode } from './xml-libraries.js';

/**
 * What a provider's answer showed that its tenant's admins should know, even when the sign-in
 * went through (docs/sso.md "Security report"): a SAML answer signed with SHA-1 (accepted or
 * refused, as the provider's `acceptSha1` says), or an ID token or assertion issued at a time
 * further from the hub's clock than the allowed skew (`seconds`: positive when the provider's
 * clock is ahead). Kept with the sign-in in `sign_in_events.findings` (migration 042) and
 * raised as alert tickets (alerts/sso-finding-alerts.ts).
 */
export type SignInFinding =
  { kind: 'sha1'; accepted: boolean } | { kind: 'clock_skew'; seconds: number };

/** Clocks of the hub and a provider may differ by this much before it is a finding. */
export const SSO_CLOCK_SKEW_MS = 60_000;

/** A clock-skew finding when `issuedAt` is further from `now` than the allowed skew. */
export function clockSkewFindings(issuedAt: number | null, now = Date.now()): SignInFinding[] {
  if (issuedAt === null || !Number.isFinite(issuedAt)) return [];
  const ms = issuedAt - now;
  return Math.abs(ms) > SSO_CLOCK_SKEW_MS
    ? [{ kind: 'clock_skew', seconds: Math.round(ms / 1000) }]
    : [];
}

/** The findings an audit entry's details or a stored row carry (anything else left out). */
export function findingsOf(value: unknown): SignInFinding[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((f: unknown): SignInFinding[] => {
    if (!f || typeof f !== 'object') return [];
    const o = f as Record<string, unknown>;
    if (o.kind === 'sha1' && typeof o.accepted === 'boolean')
      return [{ kind: 'sha1', accepted: o.accepted }];
    if (o.kind === 'clock_skew' && typeof o.seconds === 'number' && Number.isFinite(o.seconds))
      return [{ kind: 'clock_skew', seconds: Math.round(o.seconds) }];
    return [];
  });
}

const select = xpath.useNamespaces({
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
});

/**
 * Whether the response's or its assertion's XML signature uses SHA-1, as its signature method
 * (`rsa-sha1`, `dsa-sha1`, `hmac-sha1`) or its digest (`xmldsig#sha1`): SHA-1 collisions are
 * practical (RFC 9155 deprecates it for TLS; xmldsig's own core 1.1 §6.1 warns against it).
 */
export function signedWithSha1(responseXml: string): boolean {
  const doc = new xmldom.DOMParser({ errorHandler: {} }).parseFromString(responseXml, 'text/xml');
  if (!doc) return false;
  const algorithms = (
    select(
      '/samlp:Response/ds:Signature/ds:SignedInfo/*[local-name()="SignatureMethod" or local-name()="Reference"]/descendant-or-self::*/@Algorithm' +
        ' | /samlp:Response/saml:Assertion/ds:Signature/ds:SignedInfo/*[local-name()="SignatureMethod" or local-name()="Reference"]/descendant-or-self::*/@Algorithm',
      doc,
    ) as XmlNode[]
  ).map((n) => (n.value ?? n.textContent ?? '').trim());
  return algorithms.some((a) => /(?:#|-)sha1$/i.test(a));
}
