import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { apiError } from '../../http/errors.js';
import type { IdentityProviderRow } from './identity-provider.repository.js';
import type { SpKeys } from './identity-provider.service.js';
import type { ProviderAnswer } from './oidc-sign-in.js';
import { idpOf, type IdpMetadata, type SamlIdpSettings } from './saml-metadata.js';
import type { SsoSignInRepository } from './sso-sign-in.repository.js';
import {
  clockSkewFindings,
  signedWithSha1,
  SSO_CLOCK_SKEW_MS,
  type SignInFinding,
} from './sign-in-findings.js';
import {
  nodeSaml,
  xmldom,
  xpath,
  type SamlCacheProvider,
  type SamlInstance,
  type SamlProfile,
  type XmlNode,
} from './xml-libraries.js';

/** How long a person may take at their IdP between the AuthnRequest and the answer. */
const LOGIN_MINUTES = 10;
/** Clocks of the hub and the IdP may differ by this much (NotBefore, NotOnOrAfter). */
export const SAML_CLOCK_SKEW_MS = SSO_CLOCK_SKEW_MS;

interface SamlSettings extends SamlIdpSettings {
  groupsAttribute?: string;
  emailAttribute?: string;
  /** Answers signed with SHA-1 are refused unless this is set (docs/sso.md). */
  acceptSha1?: boolean;
}

/** The hub's addresses for one SAML provider: its entity id (the metadata URL) and its ACS. */
export interface SamlEndpoints {
  entityId: string;
  acsUrl: string;
  /** Single logout (HTTP-Redirect binding): LogoutRequests and LogoutResponses from the IdP. */
  sloUrl: string;
}

/** What a session that came through a SAML provider keeps for its single logout. */
export interface SamlLogoutFacts {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

/** A message the IdP sent to the hub's single logout endpoint, checked. */
export type SloMessage =
  | {
      kind: 'request';
      nameId: string;
      sessionIndex: string | null;
      /** Where the browser takes the hub's signed LogoutResponse; null: the IdP has no SLO URL. */
      respond: (success: boolean) => Promise<string | null>;
    }
  | { kind: 'response' };

/**
 * AuthnContextClassRef values that say the IdP used more than a password, trusted when the
 * provider lists no `mfaValues` of its own (with the RFC 8176 ones `amr` may carry).
 */
export const SAML_MFA_CLASSES = [
  'https://refeds.org/profile/mfa',
  'http://schemas.microsoft.com/claims/multipleauthn',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken',
];

/** Entra ID's attribute with the methods used (`mfa` when MFA was). */
const ENTRA_METHODS = 'http://schemas.microsoft.com/claims/authnmethodsreferences';

const select = xpath.useNamespaces({
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
});

/**
 * SAML 2.0 service provider sign-in with `@node-saml/node-saml` (docs/decisions.md, docs/sso.md):
 * an AuthnRequest by the HTTP-Redirect binding, the answer by HTTP-POST to the ACS. The library
 * checks the signature (of the assertion or of the whole response: one is required, unsigned is
 * refused), the audience (the hub's entity id), NotBefore/NotOnOrAfter with a small skew and
 * InResponseTo against the request ids kept in PostgreSQL (any hub process may take the answer).
 * The hub adds what the library leaves: the assertion's issuer is the IdP's entity id, its
 * Recipient is this provider's ACS, and its id is used once (`saml_seen_assertions`).
 */
export class SamlSignIn {
  constructor(
    private readonly states: SsoSignInRepository,
    /** The hub's keys for a provider (made at first use): identity-provider.service.ts. */
    private readonly keysOf: (provider: IdentityProviderRow) => Promise<SpKeys>,
  ) {}

  /**
   * The IdP's sign-in address with the AuthnRequest. A test (an admin's "test this provider")
   * keeps the admin with the request id: its answer shows what the IdP said and signs nobody in.
   */
  async begin(
    provider: IdentityProviderRow,
    sp: SamlEndpoints,
    test?: { adminId: string },
  ): Promise<string> {
    const requests = this.requestIds(provider.id, test ? { purpose: 'test', ...test } : null);
    const keys = await this.keysOf(provider);
    // Signed by the redirect binding's rules (saml-bindings §3.4.4.1): SigAlg and Signature
    // over the query, with the hub's signing key for this provider.
    return this.samlOf(provider, sp, keys, undefined, requests.cache).getAuthorizeUrlAsync(
      '',
      undefined,
      {},
    );
  }

  /**
   * This provider's SP metadata: what the IdP's admin imports — the ACS, the hub's signing
   * certificate (AuthnRequestsSigned="true") and the certificate to encrypt assertions to.
   */
  async metadata(provider: IdentityProviderRow, sp: SamlEndpoints): Promise<string> {
    const keys = await this.keysOf(provider);
    return (
      this.samlOf(provider, sp, keys, undefined, this.requestIds(provider.id, null).cache)
        .generateServiceProviderMetadata(keys.encryptionCert, keys.signingCert)
        // node-saml names its SLO endpoint with the POST binding; the hub's takes the redirect
        // binding (saml-bindings §3.4), which is what it signs and checks.
        .replace(
          /(<SingleLogoutService Binding=")urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-POST"/,
          '$1urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"',
        )
    );
  }

  /**
   * The IdP's single logout address with the hub's signed LogoutRequest for a session that
   * came through this provider; null when the IdP offers no single logout.
   */
  async logoutUrl(
    provider: IdentityProviderRow,
    sp: SamlEndpoints,
    session: SamlLogoutFacts,
  ): Promise<string | null> {
    const idp = this.idp(provider);
    if (!idp.sloUrl) return null;
    const keys = await this.keysOf(provider);
    return this.samlOf(
      provider,
      sp,
      keys,
      idp,
      this.requestIds(provider.id, null).cache,
    ).getLogoutUrlAsync(
      {
        nameID: session.nameId,
        nameIDFormat:
          session.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        sessionIndex: session.sessionIndex ?? undefined,
      },
      '',
      {},
    );
  }

  /**
   * A LogoutRequest or LogoutResponse the IdP sent by the redirect binding: signed by the IdP
   * (an unsigned one is refused, though the library would take it), issued by it, within its
   * time, and a LogoutRequest's id used once. Throws 400 BW_ERR_SSO_FAILED saying why.
   */
  async slo(
    provider: IdentityProviderRow,
    sp: SamlEndpoints,
    query: Record<string, string>,
    rawQuery: string,
  ): Promise<SloMessage> {
    const idp = this.idp(provider);
    if (!query.SAMLRequest && !query.SAMLResponse)
      throw failed('the IdP sent neither a LogoutRequest nor a LogoutResponse');
    if (!query.Signature || !query.SigAlg)
      throw failed('the logout message is not signed (the redirect binding’s Signature)');
    const keys = await this.keysOf(provider);
    const saml = this.samlOf(provider, sp, keys, idp, this.requestIds(provider.id, null).cache);
    let result;
    try {
      result = await saml.validateRedirectAsync(query, rawQuery);
    } catch (err) {
      throw failed(`the logout message was refused: ${(err as Error).message}`);
    }
    if (query.SAMLResponse) return { kind: 'response' };
    const profile = result.profile as
      (SamlProfile & { ID?: string; issuer?: string; IssueInstant?: string }) | null;
    if (!profile?.nameID || !profile.ID) throw failed('the LogoutRequest names nobody');
    if (profile.issuer !== idp.entityId)
      throw failed(`the LogoutRequest's issuer is ${profile.issuer ?? 'missing'}, not the IdP's`);
    const issued = issueInstantOf(query.SAMLRequest ?? '');
    const window = LOGIN_MINUTES * 60_000 + SAML_CLOCK_SKEW_MS;
    if (issued === null || Math.abs(Date.now() - issued) > window)
      throw failed('the LogoutRequest is older than 10 minutes, or from the future');
    if (
      !(await this.states.assertionFirstUse(
        provider.id,
        `logout-request:${profile.ID}`,
        new Date(issued + window),
      ))
    )
      throw failed('this LogoutRequest was used already (a replay)');
    return {
      kind: 'request',
      nameId: profile.nameID,
      sessionIndex: profile.sessionIndex ?? null,
      respond: async (success) =>
        idp.sloUrl
          ? saml.getLogoutResponseUrlAsync(
              { ID: profile.ID, issuer: profile.issuer },
              query.RelayState ?? '',
              {},
              success,
            )
          : null,
    };
  }

  /**
   * The IdP's answer posted to the ACS: the person it vouches for. Throws 400 BW_ERR_SSO_FAILED
   * saying what was wrong.
   */
  async complete(
    provider: IdentityProviderRow,
    sp: SamlEndpoints,
    samlResponse: string,
  ): Promise<{
    answer: ProviderAnswer;
    sessionIndex: string | null;
    nameIdFormat: string | null;
    /** The admin whose test this answers; null: a sign-in. */
    test: { adminId: string } | null;
    /** SHA-1 or clock skew seen in the answer (a refusal's error carries them too). */
    findings: SignInFinding[];
  }> {
    const idp = this.idp(provider);
    const requests = this.requestIds(provider.id, null);
    const keys = await this.keysOf(provider);
    let profile;
    try {
      ({ profile } = await this.samlOf(
        provider,
        sp,
        keys,
        idp,
        requests.cache,
      ).validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (err) {
      const message = (err as Error).message;
      throw failed(
        `the provider's answer was refused: ${said(err as Error)}`,
        /not yet valid|expired/i.test(message)
          ? await this.skewOfAuthentic(provider, sp, keys, idp, samlResponse)
          : [],
      );
    }
    if (!profile?.nameID || !profile.getAssertionXml)
      throw failed('the provider sent no assertion about a person');
    const assertion = readAssertion(profile.getAssertionXml());
    if (assertion.issuer !== idp.entityId)
      throw failed(`the assertion's issuer is ${assertion.issuer ?? 'missing'}, not the IdP's`);
    if (!assertion.recipients.length || assertion.recipients.some((r) => r !== sp.acsUrl))
      throw failed(`the assertion is meant for ${assertion.recipients[0] ?? 'no one'}, not here`);
    if (!assertion.id) throw failed('the assertion has no ID');
    const findings = clockSkewFindings(assertion.issueInstant);
    if (signedWithSha1(Buffer.from(samlResponse, 'base64').toString('utf8'))) {
      const accepted = (provider.settings as SamlSettings).acceptSha1 === true;
      findings.push({ kind: 'sha1', accepted });
      if (!accepted)
        throw failed('the answer is signed with SHA-1, which this provider refuses', findings);
    }
    const until = Math.max(assertion.notOnOrAfter ?? 0, Date.now()) + SAML_CLOCK_SKEW_MS;
    if (!(await this.states.assertionFirstUse(provider.id, assertion.id, new Date(until))))
      throw failed('this assertion was used already (a replay)');

    const settings = provider.settings as unknown as SamlSettings;
    const attributes = profile.attributes ?? {};
    const claims: Record<string, unknown> = { ...attributes, nameID: profile.nameID };
    const groups = attributes[settings.groupsAttribute ?? 'groups'];
    if (groups !== undefined) claims.groups = groups;
    if (assertion.classRef) claims.acr = assertion.classRef;
    const methods = attributes[ENTRA_METHODS];
    // Entra ID names each method used by a URI; multipleauthn among them is its MFA.
    if (methods !== undefined)
      claims.amr = (Array.isArray(methods) ? methods : [methods]).map(String);
    const email =
      firstString(attributes[settings.emailAttribute ?? 'email']) ??
      (profile.nameID.includes('@') ? profile.nameID : null);
    return {
      answer: {
        subject: profile.nameID,
        email: email ? email.toLowerCase().slice(0, 320) : null,
        claims,
      },
      sessionIndex: profile.sessionIndex ?? null,
      nameIdFormat: profile.nameIDFormat ?? null,
      test:
        requests.taken?.purpose === 'test' && typeof requests.taken.adminId === 'string'
          ? { adminId: requests.taken.adminId }
          : null,
      findings,
    };
  }

  /**
   * An answer refused for its times: checked again without them (the signature still) to tell
   * the admins how far the IdP's clock is off; a forged answer tells nothing.
   */
  private async skewOfAuthentic(
    provider: IdentityProviderRow,
    sp: SamlEndpoints,
    keys: SpKeys,
    idp: IdpMetadata,
    samlResponse: string,
  ): Promise<SignInFinding[]> {
    const none: SamlCacheProvider = {
      saveAsync: () => Promise.resolve(null),
      getAsync: () => Promise.resolve(null),
      removeAsync: (id) => Promise.resolve(id),
    };
    const untimed = this.samlOf(provider, sp, keys, idp, none, {
      acceptedClockSkewMs: -1,
      validateInResponseTo: 'never',
    });
    try {
      const { profile } = await untimed.validatePostResponseAsync({ SAMLResponse: samlResponse });
      const xml = profile?.getAssertionXml?.();
      return xml ? clockSkewFindings(readAssertion(xml).issueInstant) : [];
    } catch {
      return [];
    }
  }

  private idp(provider: IdentityProviderRow): IdpMetadata {
    try {
      return idpOf(provider.settings as SamlIdpSettings);
    } catch (err) {
      throw failed(`the provider's settings are incomplete: ${(err as Error).message}`);
    }
  }

  private samlOf(
    provider: IdentityProviderRow,
    sp: SamlEndpoints,
    keys: SpKeys,
    idp = this.idp(provider),
    cacheProvider: SamlCacheProvider,
    over: Record<string, unknown> = {},
  ): SamlInstance {
    return new nodeSaml.SAML({
      privateKey: keys.signingKey,
      logoutUrl: idp.sloUrl ?? idp.ssoUrl,
      logoutCallbackUrl: sp.sloUrl,
      idpIssuer: idp.entityId,
      // An EncryptedAssertion is opened with this key; a plain assertion is taken as before.
      decryptionPvk: keys.encryptionKey,
      issuer: sp.entityId,
      audience: sp.entityId,
      callbackUrl: sp.acsUrl,
      entryPoint: idp.ssoUrl,
      idpCert: idp.certificates.map(pem),
      // One signature is required: of the assertion, or of the response that holds it.
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
      validateInResponseTo: 'always',
      requestIdExpirationPeriodMs: LOGIN_MINUTES * 60_000,
      cacheProvider,
      // The IdP chooses the NameID format and how the person signs in: asking for a password
      // context (the library's default) would keep an IdP from answering with MFA.
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      signatureAlgorithm: 'sha256',
      ...over,
    });
  }

  /**
   * node-saml's request ids, kept in `sso_login_states` (by a hash, with the provider); `test`
   * marks the requests of an admin's test. `taken` is what the answer's InResponseTo found.
   */
  private requestIds(
    providerId: string,
    test: { purpose: 'test'; adminId: string } | null,
  ): { cache: SamlCacheProvider; taken: Record<string, unknown> | undefined } {
    const key = (id: string) => hash(`saml-request:${id}`);
    const out: { cache: SamlCacheProvider; taken: Record<string, unknown> | undefined } = {
      taken: undefined,
      cache: undefined as unknown as SamlCacheProvider,
    };
    out.cache = {
      saveAsync: async (id, value) => {
        await this.states.saveState(
          key(id),
          {
            providerId,
            purpose: test ? 'test' : 'login',
            data: { samlRequestAt: value, ...(test ?? {}) },
          },
          new Date(Date.now() + LOGIN_MINUTES * 60_000),
        );
        return { value, createdAt: Date.now() };
      },
      // Another provider's request id (another tenant's) is as unknown as a made-up one.
      getAsync: async (id) => {
        const data = await this.states.peekState(key(id), providerId, new Date());
        out.taken = data;
        // The library wants back what it saved: the request's time.
        return typeof data?.samlRequestAt === 'string' ? data.samlRequestAt : null;
      },
      removeAsync: async (id) => {
        if (id) await this.states.deleteState(key(id));
        return id;
      },
    };
    return out;
  }
}

/** A LogoutRequest's IssueInstant (ms), from the deflated message of the redirect binding. */
function issueInstantOf(encoded: string): number | null {
  try {
    const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
    const at = /\sIssueInstant="([^"]+)"/.exec(xml)?.[1];
    const ms = at ? Date.parse(at) : NaN;
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
}

interface AssertionFacts {
  id: string | null;
  issuer: string | null;
  recipients: string[];
  /** The later of SubjectConfirmationData's and Conditions' NotOnOrAfter, in ms. */
  notOnOrAfter: number | null;
  classRef: string | null;
  /** The assertion's IssueInstant, in ms. */
  issueInstant: number | null;
}

/** What the hub checks itself in the assertion the library verified. */
function readAssertion(xml: string): AssertionFacts {
  const doc = new xmldom.DOMParser().parseFromString(xml, 'text/xml');
  const values = (expr: string) =>
    (select(expr, doc) as XmlNode[]).map((n) => (n.value ?? n.textContent ?? '').trim());
  const one = (expr: string) => values(expr)[0] || null;
  const times = values(
    '//saml:Assertion/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData/@NotOnOrAfter | //saml:Assertion/saml:Conditions/@NotOnOrAfter',
  )
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t));
  return {
    id: one('/saml:Assertion/@ID | /samlp:Response/saml:Assertion/@ID'),
    issuer: one('//saml:Assertion/saml:Issuer'),
    recipients: values(
      '//saml:Assertion/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData/@Recipient',
    ),
    notOnOrAfter: times.length ? Math.max(...times) : null,
    classRef: one(
      '//saml:Assertion/saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef',
    ),
    issueInstant: Date.parse(one('//saml:Assertion/@IssueInstant') ?? '') || null,
  };
}

function firstString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

/** Base64 DER → PEM, as node-saml takes certificates. */
const pem = (der: string) =>
  `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * What the library's error says, in words where its own are a code: an assertion encrypted to
 * a key that is not this provider's (xml-encryption's RSA failure) says so.
 */
function said(err: Error): string {
  const m = err.message;
  if (/decrypt|oaep|rsa/i.test(m) && !/signature/i.test(m))
    return `the assertion is encrypted to a key that is not this provider's encryption certificate (the IdP has an old or another certificate of the hub: import the hub's metadata again) — ${m}`;
  return m;
}

/** A refusal; `findings` go with it to the SSO report. */
const failed = (message: string, findings: SignInFinding[] = []) =>
  Object.assign(apiError(400, 'BW_ERR_SSO_FAILED', message), { findings });
