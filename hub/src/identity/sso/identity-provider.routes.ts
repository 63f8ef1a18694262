import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { apiError, notFound } from '../../http/errors.js';
import { defineRoute } from '../../http/define.js';
import { itemsOf, noBody, uuid } from '../../http/schemas.js';
import type { DirectorySignIn } from './directory-sign-in.js';
import type { SignInSettingsService } from './sign-in-settings.js';
import type { PublicAddress } from '../../http/public-address.js';
import type { AppState } from '../../http/request-state.js';
import { providerAnswer, providerInput, providerTestResult } from './identity-provider.schemas.js';
import { idpCertificateFacts, type SamlIdpSettings } from './saml-metadata.js';
import type { SsoSignInService } from './sso-sign-in.service.js';
import type { IdentityProviderService, ProviderView } from './identity-provider.service.js';
import { ssoUrls } from './sso-urls.js';

const idParams = z.object({ id: z.uuid() });

function idOf(raw: string | undefined): string {
  if (!z.uuid().safeParse(raw).success)
    throw notFound('BW_ERR_NOT_FOUND', `identity provider ${raw} does not exist`);
  return raw!;
}

/**
 * What the provider's admin types on their side: where the hub's addresses are. From
 * BW_PUBLIC_URL when it is set (http/public-address.ts), so a forged Host header cannot change
 * what an admin copies; the same origin the sign-in sends the provider as its redirect URI.
 */
function answer(address: PublicAddress, ctx: Context, p: ProviderView) {
  const urls = ssoUrls(address.origin(ctx), p.id);
  const { spCertificates, ...rest } = p;
  const settings = { ...p.settings };
  return {
    ...rest,
    settings,
    redirectUrl: p.kind === 'saml' ? urls.samlAcs : urls.oidcCallback,
    ...(p.kind === 'saml'
      ? {
          spEntityId: urls.samlMetadata,
          idpCertificates: idpCertificateFacts(p.settings as SamlIdpSettings),
          // The hub's own certificates for this provider, as its metadata publishes them.
          spCertificates: (spCertificates ?? []).map((c) => ({
            use: c.use,
            notAfter: c.notAfter,
            pem: c.pem,
          })),
        }
      : {}),
  };
}

const testBody = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});
const testAnswer = z.object({
  /** ok; invalid_credentials; not_found (nobody by that name); unreachable (the hub's side). */
  outcome: z.enum(['ok', 'invalid_credentials', 'not_found', 'unreachable']),
  person: z
    .object({
      dn: z.string(),
      email: z.string().nullable(),
      displayName: z.string().nullable(),
      groups: z.array(z.string()),
    })
    .nullable(),
  /** The role and branches the person would get now (null: no access). */
  mapped: z
    .object({ role: z.string(), customRoleId: uuid.nullable(), branchIds: z.array(uuid) })
    .nullable(),
  /** Why the directory could not be asked, as the connection said it. */
  detail: z.string().optional(),
});
const settingsAnswer = z.object({
  settings: z.object({
    tenantId: uuid,
    ssoRequired: z.boolean(),
    breakGlassUserIds: z.array(uuid),
  }),
});

/**
 * A tenant's identity providers (users.manage): OpenID Connect, SAML 2.0 and LDAP; the LDAP
 * test; the tenant's "sign in through our provider" rule with its break-glass accounts.
 */
export function identityProviderRoutes(
  providers: IdentityProviderService,
  directory: DirectorySignIn,
  signInSettings: SignInSettingsService,
  address: PublicAddress,
  sso: SsoSignInService,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  const one = z.object({ provider: providerAnswer });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/identity-providers',
      summary: "The identity providers of the admin's tenant (all tenants for a global admin)",
      tags: ['sso'],
      responses: { 200: { description: 'The providers', schema: itemsOf(providerAnswer) } },
    },
    async (ctx) => {
      const items = await providers.list(ctx.state.user);
      ctx.body = { items: items.map((p) => answer(address, ctx, p)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/identity-providers',
      summary: 'Adds an identity provider (OpenID Connect or SAML 2.0) with its mapping rules',
      tags: ['sso'],
      body: providerInput,
      responses: { 201: { description: 'The new provider', schema: one } },
    },
    async (ctx, read) => {
      ctx.status = 201;
      ctx.body = {
        provider: answer(address, ctx, await providers.create(ctx.state.user, read.body())),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/identity-providers/:id',
      summary: 'One identity provider',
      tags: ['sso'],
      params: idParams,
      responses: { 200: { description: 'The provider', schema: one } },
    },
    async (ctx) => {
      ctx.body = {
        provider: answer(address, ctx, await providers.get(ctx.state.user, idOf(ctx.params.id))),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/identity-providers/:id',
      summary:
        "Replaces an identity provider's settings, domains and rules (the client secret stays unless given)",
      tags: ['sso'],
      params: idParams,
      body: providerInput,
      responses: { 200: { description: 'The provider', schema: one } },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.body = {
        provider: answer(
          address,
          ctx,
          await providers.update(ctx.state.user, idOf(ctx.params.id), input),
        ),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/identity-providers/:id',
      summary:
        'Removes an identity provider; its people keep their accounts but cannot sign in through it',
      tags: ['sso'],
      params: idParams,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      await providers.delete(ctx.state.user, idOf(ctx.params.id));
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/identity-providers/:id/test',
      summary:
        'LDAP: signs a test person in against the directory and shows their groups and the role and branches they would map to; changes nothing',
      tags: ['sso'],
      params: idParams,
      body: testBody,
      responses: { 200: { description: 'What the directory answered', schema: testAnswer } },
    },
    async (ctx, read) => {
      const { username, password } = read.body();
      const provider = await providers.providerOf(ctx.state.user, idOf(ctx.params.id));
      if (provider.kind !== 'ldap')
        throw apiError(
          400,
          'BW_ERR_VALIDATION',
          'kind: this test signs in to an LDAP directory; OpenID Connect and SAML are tested by signing in through them',
          { field: 'kind' },
        );
      ctx.body = await directory.test(provider, username, password);
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/identity-providers/:id/test-sign-in',
      summary:
        "OpenID Connect or SAML: starts a test sign-in; open the answer's url (a new window), sign in at the provider as a test person, and the providers page shows what the provider said and what it would map to, signing nobody in",
      tags: ['sso'],
      params: idParams,
      body: noBody,
      responses: {
        200: {
          description: "The provider's sign-in address for this test",
          schema: z.object({ url: z.string() }),
        },
      },
    },
    async (ctx) => {
      ctx.body = {
        url: await sso.startTest(ctx.state.user, idOf(ctx.params.id), address.origin(ctx)),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/identity-providers/:id/saml-keys/rotate',
      summary:
        "SAML: new signing and encryption keys for the hub's side of this provider; the old ones stop at once, so the IdP's admin imports the hub's metadata again",
      tags: ['sso'],
      params: idParams,
      body: noBody,
      responses: { 200: { description: 'The provider with its new certificates', schema: one } },
    },
    async (ctx) => {
      ctx.body = {
        provider: answer(
          address,
          ctx,
          await providers.rotateSpKeys(ctx.state.user, idOf(ctx.params.id)),
        ),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/identity-providers/:id/test-results/:result',
      summary:
        "What the provider sent in the admin's own test sign-in (its claims or attributes) and the role and branches they would map to; kept 10 minutes",
      tags: ['sso'],
      params: z.object({ id: z.uuid(), result: z.string().min(1).max(100) }),
      responses: {
        200: { description: 'The test', schema: z.object({ result: providerTestResult }) },
      },
    },
    async (ctx) => {
      ctx.body = {
        result: await sso.testResult(
          ctx.state.user,
          idOf(ctx.params.id),
          String(ctx.params.result ?? ''),
        ),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/sign-in-settings',
      summary:
        "Whether the tenant's people must sign in through its providers, and its break-glass accounts",
      tags: ['sso'],
      query: z.object({ tenantId: z.uuid().optional() }),
      responses: { 200: { description: 'The settings', schema: settingsAnswer } },
    },
    async (ctx, read) => {
      ctx.body = { settings: await signInSettings.get(ctx.state.user, read.query().tenantId) };
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/sign-in-settings',
      summary:
        "Requires (or not) sign-in through the tenant's providers, and sets the local accounts that may still use a password (break-glass)",
      tags: ['sso'],
      body: z.strictObject({
        tenantId: z.uuid().nullable().optional(),
        ssoRequired: z.boolean(),
        breakGlassUserIds: z.array(z.uuid()).max(100),
      }),
      responses: { 200: { description: 'The settings as they are now', schema: settingsAnswer } },
    },
    async (ctx, read) => {
      ctx.body = { settings: await signInSettings.set(ctx.state.user, read.body()) };
    },
  );
  return router;
}
