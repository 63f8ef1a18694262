import { createRequire } from 'node:module';

/**
 * The XML libraries of SAML, loaded with `require` and the few members the hub uses typed
 * here. Their own type files pull the browser's DOM library into the build
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
