import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { CookieJar, step } from './oidc-provider.js';

/**
 * samlify (a maintained SAML library, docs/decisions.md) loaded with `require`: its type files
 * pull the browser's DOM library into the build (as node-saml's do, hub/src/identity/sso/
 * xml-libraries.ts), so the few members used are typed here.
 */
const require = createRequire(import.meta.url);
interface SamlifyEntity {
  entityMeta: { getEntityID(): string };
}
interface Samlify {
  setSchemaValidator(validator: { validate(xml: string): Promise<string> }): void;
  IdentityProvider(settings: Record<string, unknown>): SamlifyEntity & {
    parseLoginRequest(
      sp: SamlifyEntity,
      binding: 'redirect',
      request: { query: Record<string, string>; octetString: string },
    ): Promise<unknown>;
    createLoginResponse(
      sp: SamlifyEntity,
      requestInfo: Record<string, unknown>,
      binding: 'post',
      user: Record<string, unknown>,
      options: { customTagReplacement: (template: string) => { id: string; context: string } },
    ): Promise<{ context: string; entityEndpoint: string }>;
    getMetadata(): string;
    parseLogoutRequest(
      sp: SamlifyEntity,
      binding: 'redirect',
      request: { query: Record<string, string>; octetString: string },
    ): Promise<{ extract: { nameID?: string; sessionIndex?: string; request?: { id: string } } }>;
    parseLogoutResponse(
      sp: SamlifyEntity,
      binding: 'redirect',
      request: { query: Record<string, string>; octetString: string },
    ): Promise<{ extract: { response?: { inResponseTo?: string } } }>;
    createLogoutRequest(
      sp: SamlifyEntity,
      binding: 'redirect',
      user: { logoutNameID: string; sessionIndex?: string },
    ): { id: string; context: string };
    createLogoutResponse(
      sp: SamlifyEntity,
      requestInfo: unknown,
      binding: 'redirect',
      relayState: string,
    ): { id: string; context: string };
  };
  ServiceProvider(settings: Record<string, unknown>): SamlifyEntity;
  SamlLib: {
    defaultLoginResponseTemplate: { context: string };
    replaceTagsByValue(template: string, values: Record<string, unknown>): string;
  };
}
const samlify = require('samlify') as Samlify;
// samlify refuses to read a message without a schema validator; the hub's requests are checked
// here for being well-formed XML (the signature is what these tests are about).
const xmldom = createRequire(require.resolve('samlify'))('@xmldom/xmldom') as {
  DOMParser: new (o: {
    errorHandler: { error: (msg: string) => void; fatalError: (msg: string) => void };
  }) => {
    parseFromString(xml: string, type: string): unknown;
  };
};
samlify.setSchemaValidator({
  validate: (xml) =>
    new Promise((resolve, reject) => {
      const fail = (msg: string) => reject(new Error(msg));
      new xmldom.DOMParser({ errorHandler: { error: fail, fatalError: fail } }).parseFromString(
        xml,
        'text/xml',
      );
      resolve('well-formed');
    }),
});

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const PASSWORD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

/** A person at the test IdP: their NameID (an e-mail) and attributes. */
export interface SamlPerson {
  email: string;
  groups: string[];
  /** The AuthnContextClassRef the IdP says it used; none: a password. */
  classRef?: string;
}

/**
 * How the IdP answers the next sign-ins: as a well-behaved IdP does (its response signed, or
 * its assertion signed), or in one of the ways the hub must refuse.
 */
export type SamlAnswerMode =
  | 'signed-response'
  | 'signed-assertion'
  | 'unsigned'
  | 'other-key'
  | 'wrong-audience'
  | 'expired'
  | 'wrong-recipient';

export interface TestSamlIdp {
  entityId: string;
  ssoUrl: string;
  /** The IdP's metadata, as its admin page exports it. */
  metadataXml: string;
  /** The IdP's signing certificate, PEM (for providers set up by fields). */
  certificatePem: string;
  people: Map<string, SamlPerson>;
  mode: SamlAnswerMode;
  /** The signature's hash: SHA-256, or SHA-1 as old IdPs still sign (rsa-sha1, digest sha1). */
  hash: 'sha256' | 'sha1';
  /** How far the IdP's clock is from the true time (ms; positive: ahead): its answers' times. */
  clockOffsetMs: number;
  /**
   * Whether the IdP encrypts the assertion: to the hub's encryption certificate (read from the
   * hub's metadata), or to a certificate of someone else's.
   */
  encrypt: 'no' | 'to-hub' | 'to-other-key';
  /** Why the IdP refused the last AuthnRequest (an unsigned one, when it wants them signed). */
  refused: string[];
  /** The IdP's SingleLogoutService (HTTP-Redirect), in its metadata. */
  sloUrl: string;
  /** The SessionIndex of each person's last sign-in, by e-mail (for an IdP-initiated logout). */
  sessions: Map<string, string>;
  /** The hub's LogoutRequests the IdP took (their signature checked), as the IdP read them. */
  logoutRequests: { nameId: string; sessionIndex: string | null }[];
  /** The hub's LogoutResponses the IdP took (signature checked): their InResponseTo. */
  logoutResponses: string[];
  /**
   * An IdP-initiated logout: the address of the hub's SLO endpoint with the IdP's
   * LogoutRequest for this person (signed unless `unsigned`).
   */
  logoutRequestUrl(
    spEntityId: string,
    email: string,
    options?: { unsigned?: boolean; sessionIndex?: string },
  ): Promise<string>;
  /** Each response sent, as posted (base64): for replays. */
  sent: string[];
  stop(): Promise<void>;
}

/** A throwaway RSA key and self-signed certificate, made with the openssl CLI at test time. */
function signingKey(dir: string, name: string) {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert].concat([
      '-days',
      '2',
      '-subj',
      `/CN=Test IdP ${name}`,
    ]),
    { stdio: 'pipe' },
  );
  return { privateKey: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A SAML 2.0 IdP built on samlify, on a loopback port of its own: its SingleSignOnService takes
 * the hub's AuthnRequest (HTTP-Redirect), shows a sign-in page of one field (the login name of
 * one of `people`), and answers with a page that posts the signed response to the hub's ACS
 * (HTTP-POST), as an IdP does. The SP is read from the hub's own metadata URL.
 */
export async function startSamlIdp(
  options: {
    /** The IdP's metadata says WantAuthnRequestsSigned="true" and it refuses unsigned ones. */
    wantSignedRequests?: boolean;
  } = {},
): Promise<TestSamlIdp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-saml-idp-'));
  const own = signingKey(dir, 'idp');
  const stranger = signingKey(dir, 'stranger');
  fs.rmSync(dir, { recursive: true, force: true });
  const people = new Map<string, SamlPerson>();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${origin}/metadata`;
  const ssoUrl = `${origin}/sso`;
  const sloUrl = `${origin}/slo`;
  const idpOf = (key: { privateKey: string; cert: string }, hash = 'sha256', encrypt = false) =>
    samlify.IdentityProvider({
      entityID: entityId,
      privateKey: key.privateKey,
      signingCert: key.cert,
      nameIDFormat: [EMAIL_FORMAT],
      singleSignOnService: [{ Binding: REDIRECT, Location: ssoUrl }],
      singleLogoutService: [{ Binding: REDIRECT, Location: sloUrl }],
      wantLogoutRequestSigned: true,
      wantLogoutResponseSigned: true,
      requestSignatureAlgorithm:
        hash === 'sha1'
          ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'
          : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      wantAuthnRequestsSigned: options.wantSignedRequests ?? false,
      isAssertionEncrypted: encrypt,
      dataEncryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
      keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    });
  const idp = idpOf(own);
  const idpSha1 = idpOf(own, 'sha1');
  const forger = idpOf(stranger);
  const encrypter = idpOf(own, 'sha256', true);

  const state: TestSamlIdp = {
    entityId,
    ssoUrl,
    metadataXml: idp.getMetadata(),
    certificatePem: own.cert,
    people,
    mode: 'signed-response',
    hash: 'sha256',
    clockOffsetMs: 0,
    encrypt: 'no',
    refused: [],
    sloUrl,
    sessions: new Map(),
    logoutRequests: [],
    logoutResponses: [],
    logoutRequestUrl: async (spEntityId, email, opts = {}) => {
      const sp = await spOf(spEntityId, { signLogoutRequests: !opts.unsigned });
      return idp.createLogoutRequest(sp, 'redirect', {
        logoutNameID: email,
        sessionIndex: opts.sessionIndex ?? state.sessions.get(email),
      }).context;
    },
    sent: [],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    try {
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname === '/metadata') {
        res.setHeader('content-type', 'application/samlmetadata+xml');
        res.end(state.metadataXml);
        return;
      }
      if (url.pathname === '/slo') {
        await singleLogout(req, url, res);
        return;
      }
      if (url.pathname !== '/sso') {
        res.statusCode = 404;
        res.end();
        return;
      }
      if (req.method === 'GET') {
        const request = url.searchParams.get('SAMLRequest') ?? '';
        const { issuer } = readRequest(request);
        if (options.wantSignedRequests) {
          // The redirect binding's signature (saml-bindings §3.4.4.1), checked by samlify
          // against the signing certificate in the hub's metadata, over the query as sent.
          try {
            await idp.parseLoginRequest(await spOf(issuer), 'redirect', {
              query: Object.fromEntries(url.searchParams),
              octetString: octetStringOf(req, 'SAMLRequest'),
            });
          } catch (err) {
            state.refused.push((err as Error).message);
            res.statusCode = 403;
            res.end(`AuthnRequest refused: ${(err as Error).message}`);
            return;
          }
        }
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(
          `<!doctype html><title>Test IdP</title><h1>Test IdP</h1>` +
            `<form method="post"><input type="hidden" name="SAMLRequest" value="${escapeXml(request)}">` +
            `<input type="hidden" name="RelayState" value="${escapeXml(url.searchParams.get('RelayState') ?? '')}">` +
            `<label>Login <input name="login" autofocus></label>` +
            `<button type="submit">Continue</button></form>`,
        );
        return;
      }
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const form = new URLSearchParams(body);
      const person = people.get(form.get('login') ?? '');
      if (!person) {
        res.statusCode = 403;
        res.end('unknown login');
        return;
      }
      const request = readRequest(form.get('SAMLRequest') ?? '');
      const response = await answer(request, person);
      state.sent.push(response);
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><title>Test IdP</title><body onload="document.forms[0].submit()">` +
          `<form method="post" action="${escapeXml(request.acsUrl)}">` +
          `<input type="hidden" name="SAMLResponse" value="${escapeXml(response)}">` +
          `<input type="hidden" name="RelayState" value="${escapeXml(form.get('RelayState') ?? '')}">` +
          `<noscript><button type="submit">Continue</button></noscript></form></body>`,
      );
    } catch (err) {
      res.statusCode = 400;
      res.end(String(err));
    }
  }

  /** The response to a request, as the mode says (base64, as posted). */
  async function answer(
    request: { id: string; acsUrl: string; issuer: string },
    person: SamlPerson,
  ): Promise<string> {
    const now = new Date(Date.now() + state.clockOffsetMs);
    const later = new Date(now.getTime() + 5 * 60_000);
    const expired = state.mode === 'expired';
    const values = {
      ID: `_${randomUUID()}`,
      AssertionID: `_${randomUUID()}`,
      Destination: request.acsUrl,
      Audience: state.mode === 'wrong-audience' ? 'https://elsewhere.example/sp' : request.issuer,
      SubjectRecipient:
        state.mode === 'wrong-recipient' ? 'https://elsewhere.example/acs' : request.acsUrl,
      Issuer: entityId,
      IssueInstant: (expired ? new Date(now.getTime() - 20 * 60_000) : now).toISOString(),
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: (expired ? new Date(now.getTime() - 20 * 60_000) : now).toISOString(),
      ConditionsNotOnOrAfter: (expired
        ? new Date(now.getTime() - 10 * 60_000)
        : later
      ).toISOString(),
      SubjectConfirmationDataNotOnOrAfter: (expired
        ? new Date(now.getTime() - 10 * 60_000)
        : later
      ).toISOString(),
      NameIDFormat: EMAIL_FORMAT,
      NameID: person.email,
      InResponseTo: request.id,
    };
    // samlify escapes each value it puts in: the statements, XML themselves, go in after.
    const sessionIndex = `_s${randomUUID()}`;
    state.sessions.set(person.email, sessionIndex);
    const statements =
      `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${sessionIndex}">` +
      `<saml:AuthnContext><saml:AuthnContextClassRef>${escapeXml(person.classRef ?? PASSWORD)}` +
      `</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>` +
      attribute('email', [person.email]) +
      attribute('groups', person.groups) +
      `</saml:AttributeStatement>`;
    const template = samlify.SamlLib.defaultLoginResponseTemplate.context.replace(
      '{AuthnStatement}{AttributeStatement}',
      '<!--statements-->',
    );
    const xml = samlify.SamlLib.replaceTagsByValue(template, values).replace(
      '<!--statements-->',
      statements,
    );
    if (state.mode === 'unsigned') return Buffer.from(xml).toString('base64');
    const encrypting = state.encrypt !== 'no';
    const hubCertificates = encrypting ? await certificatesOf(request.issuer) : null;
    const sp = samlify.ServiceProvider({
      entityID: request.issuer,
      assertionConsumerService: [{ Binding: POST, Location: request.acsUrl }],
      // samlify signs the response before it encrypts the assertion, which would break that
      // signature: an encrypted assertion is signed itself, as IdPs do.
      wantAssertionsSigned: state.mode === 'signed-assertion' || encrypting,
      ...(hubCertificates
        ? {
            encryptCert: state.encrypt === 'to-hub' ? hubCertificates.encryption : stranger.cert,
          }
        : {}),
    });
    const signer =
      state.mode === 'other-key'
        ? forger
        : encrypting
          ? encrypter
          : state.hash === 'sha1'
            ? idpSha1
            : idp;
    const { context } = await signer.createLoginResponse(
      sp,
      { extract: { request: { id: request.id } } },
      'post',
      { email: person.email },
      { customTagReplacement: () => ({ id: values.ID, context: xml }) },
    );
    return context;
  }

  /** The hub's certificates, read from its SP metadata (its entity id is the metadata's URL). */
  async function certificatesOf(spEntityId: string) {
    const xml = await (await fetch(spEntityId)).text();
    const of = (use: string) => {
      const m = new RegExp(
        `<KeyDescriptor use="${use}">[\\s\\S]*?<ds:X509Certificate>([^<]+)<`,
      ).exec(xml);
      if (!m) throw new Error(`the SP metadata has no ${use} certificate`);
      return `-----BEGIN CERTIFICATE-----\n${m[1]!.trim()}\n-----END CERTIFICATE-----`;
    };
    return { signing: of('signing'), encryption: of('encryption'), xml };
  }

  /**
   * The hub as samlify sees it: its signing certificate and SLO endpoint from its metadata.
   * `signLogoutRequests`: whether the IdP signs the LogoutRequests it sends it.
   */
  async function spOf(spEntityId: string, opts: { signLogoutRequests?: boolean } = {}) {
    const { signing, xml } = await certificatesOf(spEntityId);
    const slo = /<SingleLogoutService Binding="([^"]+)" Location="([^"]+)"/.exec(xml);
    return samlify.ServiceProvider({
      entityID: spEntityId,
      signingCert: signing,
      authnRequestsSigned: true,
      assertionConsumerService: [{ Binding: POST, Location: spEntityId }],
      ...(slo ? { singleLogoutService: [{ Binding: slo[1], Location: unescape(slo[2]!) }] } : {}),
      wantLogoutRequestSigned: opts.signLogoutRequests ?? true,
      wantLogoutResponseSigned: true,
    });
  }

  /**
   * The IdP's SingleLogoutService: the hub's LogoutRequest (its signature checked against the
   * hub's metadata) is answered with the IdP's signed LogoutResponse, sent back to the hub's
   * SLO endpoint; the hub's LogoutResponse to the IdP's own request is read and kept.
   */
  async function singleLogout(req: http.IncomingMessage, url: URL, res: http.ServerResponse) {
    const query = Object.fromEntries(url.searchParams);
    const message = query.SAMLRequest ?? query.SAMLResponse ?? '';
    const xml = inflateRawSync(Buffer.from(message, 'base64')).toString('utf8');
    const issuer = /<(?:saml2?:)?Issuer[^>]*>([^<]+)</.exec(xml)?.[1];
    if (!issuer) throw new Error('no Issuer in the logout message');
    const sp = await spOf(unescape(issuer));
    if (query.SAMLRequest) {
      const read = await idp.parseLogoutRequest(sp, 'redirect', {
        query,
        octetString: octetStringOf(req, 'SAMLRequest'),
      });
      state.logoutRequests.push({
        nameId: read.extract.nameID ?? '',
        sessionIndex: read.extract.sessionIndex ?? null,
      });
      res.statusCode = 302;
      res.setHeader(
        'location',
        idp.createLogoutResponse(sp, read, 'redirect', query.RelayState ?? '').context,
      );
      res.end();
      return;
    }
    const read = await idp.parseLogoutResponse(sp, 'redirect', {
      query,
      octetString: octetStringOf(req, 'SAMLResponse'),
    });
    state.logoutResponses.push(read.extract.response?.inResponseTo ?? '');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>Test IdP</title><h1>Signed out</h1>');
  }

  return state;
}

/**
 * A browser's way through a SAML sign-in: the hub, the IdP's sign-in page, its form posted to
 * the ACS. `location`: where the hub sent the browser at the end.
 */
export async function samlSignIn(
  hubUrl: string,
  idp: TestSamlIdp,
  providerId: string,
  login: string,
) {
  const hub = new CookieJar();
  const atIdp = new CookieJar();
  const start = await step(hub, `${hubUrl}/sso/${providerId}/login`);
  expect(start.location!.startsWith(`${idp.ssoUrl}?SAMLRequest=`)).toBe(true);
  const page = await step(atIdp, start.location!);
  expect(page.status).toBe(200);
  const form = await postIdpForm(idp.ssoUrl, {
    SAMLRequest: new URL(start.location!).searchParams.get('SAMLRequest')!,
    RelayState: '',
    login,
  });
  expect(form.action).toBe(`${hubUrl}/sso/${providerId}/saml/acs`);
  const back = await step(hub, form.action, { SAMLResponse: form.samlResponse });
  return { hub, location: back.location!, samlResponse: form.samlResponse };
}

/** Posts the IdP's sign-in form; reads the page that would post the response to the hub. */
export async function postIdpForm(url: string, fields: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const html = await res.text();
  expect(res.status, html).toBe(200);
  const action = /action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
  const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(html)![1]!;
  return { action, samlResponse };
}

/** What the redirect binding signs: the message, RelayState and SigAlg as sent (§3.4.4.1). */
function octetStringOf(req: http.IncomingMessage, message: 'SAMLRequest' | 'SAMLResponse') {
  const parts = ((req.url ?? '').split('?')[1] ?? '').split('&');
  return [`${message}=`, 'RelayState=', 'SigAlg=']
    .map((name) => parts.find((p) => p.startsWith(name)))
    .filter((p): p is string => p !== undefined && !p.endsWith('='))
    .join('&');
}

function attribute(name: string, values: string[]): string {
  return (
    `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
    values
      .map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`)
      .join('') +
    `</saml:Attribute>`
  );
}

/** The AuthnRequest of the HTTP-Redirect binding: deflated, base64 (saml-bindings §3.4.4.1). */
function readRequest(encoded: string): { id: string; acsUrl: string; issuer: string } {
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const id = /\sID="([^"]+)"/.exec(xml)?.[1];
  const acsUrl = /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1];
  const issuer = /<(?:saml2?:)?Issuer[^>]*>([^<]+)</.exec(xml)?.[1];
  if (!id || !acsUrl || !issuer) throw new Error('not an AuthnRequest');
  return { id, acsUrl: unescape(acsUrl), issuer: unescape(issuer) };
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
