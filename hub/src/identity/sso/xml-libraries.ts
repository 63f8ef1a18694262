import { createRequire } from 'node:module';

/**
 * The SAML library and its XML libraries, loaded with `require` and the few members the hub
 * uses typed here. Their own type files pull the browser's DOM library into the build
 * (`/// <reference lib="dom" />` in @xmldom/xmldom and xpath, which @node-saml/node-saml's
 * types import), and with it Node's `fetch` and streams take the DOM's types across the
 * whole workspace. A static import would read those files; `require` does not.
 */
const require = createRequire(import.meta.url);

export interface XmlNode {
  textContent: string | null;
  value?: string;
}
interface XmlDomModule {
  DOMParser: new (options?: {
    errorHandler?: { error?: (msg: string) => void; fatalError?: (msg: string) => void };
  }) => {
    parseFromString(xml: string, mimeType: string): { documentElement: XmlNode | null } | null;
  };
}
type Select = (expression: string, node: unknown, single?: boolean) => XmlNode[] | XmlNode;
interface XpathModule {
  useNamespaces(namespaces: Record<string, string>): Select;
}

export const xmldom = require('@xmldom/xmldom') as XmlDomModule;
export const xpath = require('xpath') as XpathModule;

/** What node-saml says of the person, from a response whose signature it checked. */
export interface SamlProfile {
  issuer?: string;
  nameID?: string;
  nameIDFormat?: string;
  sessionIndex?: string;
  attributes?: Record<string, unknown>;
  /** The assertion as signed (or as the signed response held it). */
  getAssertionXml?(): string;
}

/** The members of node-saml's `SAML` the hub uses (docs/decisions.md: @node-saml/node-saml). */
export interface SamlInstance {
  getAuthorizeUrlAsync(
    relayState: string,
    host: string | undefined,
    options: Record<string, unknown>,
  ): Promise<string>;
  validatePostResponseAsync(
    container: Record<string, string>,
  ): Promise<{ profile: SamlProfile | null; loggedOut: boolean }>;
  getLogoutUrlAsync(
    user: { nameID: string; nameIDFormat: string; sessionIndex?: string },
    relayState: string,
    options: Record<string, unknown>,
  ): Promise<string>;
  validateRedirectAsync(
    query: Record<string, string>,
    originalQuery: string,
  ): Promise<{ profile: SamlProfile | null; loggedOut: boolean }>;
  getLogoutResponseUrlAsync(
    logoutRequest: { ID?: string; issuer?: string },
    relayState: string,
    options: Record<string, unknown>,
    success: boolean,
  ): Promise<string>;
  generateServiceProviderMetadata(
    decryptionCert: string | null,
    publicCerts?: string | string[] | null,
  ): string;
}

/** node-saml's store of request ids between the AuthnRequest and the response. */
export interface SamlCacheProvider {
  saveAsync(key: string, value: string): Promise<{ value: string; createdAt: number } | null>;
  getAsync(key: string): Promise<string | null>;
  removeAsync(key: string | null): Promise<string | null>;
}

export const nodeSaml = require('@node-saml/node-saml') as {
  SAML: new (config: Record<string, unknown>) => SamlInstance;
};
