import type { MessageKey } from '../../i18n';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** The three fields an IdP's metadata gives: its entity id, sign-in URL and signing certificates. */
export interface IdpFields {
  idpEntityId: string;
  idpSsoUrl: string;
  /** Its SingleLogoutService of the HTTP-Redirect binding; empty when it offers none. */
  idpSloUrl: string;
  /** PEM, one block per signing certificate (two during a rollover). */
  idpCertificate: string;
  certificates: number;
}

/**
 * Reads an IdP's SAML 2.0 metadata pasted by an admin (saml-metadata-2.0-os §2.4.3), as the hub
 * reads it (hub/src/identity/sso/saml-metadata.ts): the EntityDescriptor holding an
 * IDPSSODescriptor, its SingleSignOnService of the HTTP-Redirect binding, its signing keys.
 * What is missing comes back as the message that says so.
 */
export function readIdpMetadata(xml: string): IdpFields | { problem: MessageKey } {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length || !doc.documentElement)
    return { problem: 'admin.sso.metadata.notXml' };
  const idp = doc.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0];
  const entityId = idp?.parentElement?.getAttribute('entityID');
  if (!idp || !entityId) return { problem: 'admin.sso.metadata.noIdp' };
  const sso = [...idp.getElementsByTagNameNS(MD, 'SingleSignOnService')].find(
    (e) => e.getAttribute('Binding') === REDIRECT,
  );
  const ssoUrl = sso?.getAttribute('Location');
  if (!ssoUrl) return { problem: 'admin.sso.metadata.noSignIn' };
  const slo = [...idp.getElementsByTagNameNS(MD, 'SingleLogoutService')].find(
    (e) => e.getAttribute('Binding') === REDIRECT,
  );
  const certificates = [...idp.getElementsByTagNameNS(MD, 'KeyDescriptor')]
    .filter((k) => !k.getAttribute('use') || k.getAttribute('use') === 'signing')
    .flatMap((k) => [...k.getElementsByTagNameNS(DS, 'X509Certificate')])
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter(Boolean);
  if (!certificates.length) return { problem: 'admin.sso.metadata.noCertificate' };
  return {
    idpEntityId: entityId,
    idpSsoUrl: ssoUrl,
    idpSloUrl: slo?.getAttribute('Location') ?? '',
    idpCertificate: [...new Set(certificates)].map(pem).join('\n'),
    certificates: new Set(certificates).size,
  };
}

const pem = (der: string) =>
  `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
