import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { notFound } from '../../http/errors.js';
import { defineRoute } from '../../http/define.js';
import { itemsOf } from '../../http/schemas.js';
import type { AppState } from '../../http/request-state.js';
import { providerAnswer, providerInput } from './identity-provider.schemas.js';
import type { IdentityProviderService, ProviderView } from './identity-provider.service.js';
import { ssoUrls } from './sso-urls.js';

const idParams = z.object({ id: z.uuid() });

function idOf(raw: string | undefined): string {
  if (!z.uuid().safeParse(raw).success)
    throw notFound('BW_ERR_NOT_FOUND', `identity provider ${raw} does not exist`);
  return raw!;
}

/** The address the person reached the hub at (a trusted proxy's, http/trusted-proxy.ts). */
export const originOf = (ctx: Context) => `${ctx.protocol}://${ctx.host}`;

/** What the provider's admin types on their side: where the hub's addresses are. */
function answer(ctx: Context, p: ProviderView) {
  const urls = ssoUrls(originOf(ctx), p.id);
  const settings = { ...p.settings };
  return {
    ...p,
    settings,
    redirectUrl: p.kind === 'saml' ? urls.samlAcs : urls.oidcCallback,
    ...(p.kind === 'saml' ? { spEntityId: urls.samlMetadata } : {}),
  };
}

/** A tenant's identity providers (users.manage): OpenID Connect and SAML 2.0. */
export function identityProviderRoutes(providers: IdentityProviderService): Router<AppState> {
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
      ctx.body = { items: items.map((p) => answer(ctx, p)) };
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
      ctx.body = { provider: answer(ctx, await providers.create(ctx.state.user, read.body())) };
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
        provider: answer(ctx, await providers.get(ctx.state.user, idOf(ctx.params.id))),
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
        provider: answer(ctx, await providers.update(ctx.state.user, idOf(ctx.params.id), input)),
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
  return router;
}
