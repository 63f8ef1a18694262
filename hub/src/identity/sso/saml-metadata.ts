import { xmldom, xpath, type XmlNode } from './xml-libraries.js';

/** What the hub takes from an IdP's SAML 2.0 metadata (saml-metadata-2.0-os §2.4.3). */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService with the HTTP-Redirect binding. */
  ssoUrl: string;
  /** SingleLogoutService with the HTTP-Redirect binding, when the IdP offers one. */
  sloUrl: string | null;
  /** Signing certificates, base64 DER as in the metadata. */
  certificates: string[];
}

const select = xpath.useNamespaces({
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
});
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** Reads IdP metadata; throws an Error that says what is missing. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const errors: string[] = [];
  const doc = new xmldom.DOMParser({
    errorHandler: { error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  if (errors.length || !doc?.documentElement) throw new Error('not an XML document');
  const root = doc;
  const text = (expr: string) => {
    const found = select(expr, root, true) as XmlNode | undefined;
    return found ? (found.value ?? found.textContent ?? null) : null;
  };
  const entityId = text('//md:EntityDescriptor[md:IDPSSODescriptor]/@entityID');
  if (!entityId) throw new Error('no EntityDescriptor with an IDPSSODescriptor');
  const ssoUrl = text(
    `//md:IDPSSODescriptor/md:SingleSignOnService[@Binding='${REDIRECT}']/@Location`,
  );
  if (!ssoUrl) throw new Error('no SingleSignOnService with the HTTP-Redirect binding');
  const sloUrl = text(
    `//md:IDPSSODescriptor/md:SingleLogoutService[@Binding='${REDIRECT}']/@Location`,
  );
  const keys = select(
    "//md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']//ds:X509Certificate",
    root,
  ) as XmlNode[];
  const certificates = keys.map((k) => (k.textContent ?? '').replace(/\s+/g, '')).filter(Boolean);
  if (!certificates.length) throw new Error('no signing certificate (KeyDescriptor use="signing")');
  return { entityId, ssoUrl, sloUrl, certificates };
}
