import { X509Certificate } from 'node:crypto';
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

/** A SAML provider's settings as stored: the IdP's metadata pasted, or its three fields typed. */
export interface SamlIdpSettings {
  idpMetadataXml?: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  /** The IdP's SingleLogoutService (HTTP-Redirect); none: the IdP offers no single logout. */
  idpSloUrl?: string;
  /** PEM or bare base64 DER; several may be pasted one after another (a rollover). */
  idpCertificate?: string;
}

/** The IdP a SAML provider's settings describe; throws an Error that says what is missing. */
export function idpOf(settings: SamlIdpSettings): IdpMetadata {
  if (settings.idpMetadataXml) return parseIdpMetadata(settings.idpMetadataXml);
  if (!settings.idpEntityId) throw new Error('idpEntityId: give the metadata or the entity id');
  if (!settings.idpSsoUrl) throw new Error('idpSsoUrl: give the metadata or the sign-in URL');
  const certificates = certificatesIn(settings.idpCertificate ?? '');
  if (!certificates.length)
    throw new Error('idpCertificate: give the metadata or the signing certificate');
  return {
    entityId: settings.idpEntityId,
    ssoUrl: settings.idpSsoUrl,
    sloUrl: settings.idpSloUrl || null,
    certificates,
  };
}

/** Base64 DER certificates in PEM blocks, or one bare base64 block. */
export function certificatesIn(text: string): string[] {
  const blocks = [
    ...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g),
  ].map((m) => m[1]!.replace(/\s+/g, ''));
  if (blocks.length) return blocks;
  const bare = text.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]{100,}={0,2}$/.test(bare) ? [bare] : [];
}

/** What an admin reads of an IdP signing certificate: whose it is and until when it holds. */
export interface CertificateFacts {
  subject: string;
  notAfter: Date;
}

/**
 * The IdP's signing certificates as a SAML provider's settings give them, read with Node's
 * X509Certificate; empty when the settings do not describe an IdP yet, and a certificate that
 * is not X.509 is left out (the sign-in refuses it on its own).
 */
export function idpCertificateFacts(settings: SamlIdpSettings): CertificateFacts[] {
  let idp: IdpMetadata;
  try {
    idp = idpOf(settings);
  } catch {
    return [];
  }
  return idp.certificates.flatMap((der) => {
    try {
      const cert = new X509Certificate(Buffer.from(der, 'base64'));
      return [{ subject: cert.subject.replace(/\n/g, ', '), notAfter: new Date(cert.validTo) }];
    } catch {
      return [];
    }
  });
}
