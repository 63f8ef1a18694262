import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { defineRoute } from '../../http/define.js';
import { apiError } from '../../http/errors.js';
import type { PublicAddress } from '../../http/public-address.js';
import type { AppState } from '../../http/request-state.js';
import { clientOf, setSessionCookies } from '../auth.routes.js';
import type { LoginOption, ProviderOutcome, SsoSignInService } from './sso-sign-in.service.js';

const option = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['oidc', 'saml']),
  loginUrl: z.string(),
});
const tenantQuery = z.object({ tenant: z.string().min(1).max(100) });
const emailBody = z.strictObject({ email: z.string().trim().min(3).max(320).includes('@') });
const idParams = z.object({ id: z.uuid() });

/**
 * The login page's questions (public: asked before anyone is signed in) — a tenant's provider
 * buttons, and which provider an e-mail address signs in through.
 */
export function ssoLoginRoutes(sso: SsoSignInService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/auth/sso' });
  const shown = (o: LoginOption) => o;

  defineRoute(
    router,
    {
      method: 'get',
      path: '/providers',
      summary: "A tenant's sign-in providers, by the tenant's slug (its login page's buttons)",
      tags: ['auth'],
      public: true,
      query: tenantQuery,
      responses: {
        200: { description: 'The buttons', schema: z.object({ items: z.array(option) }) },
      },
    },
    async (ctx, read) => {
      ctx.body = { items: (await sso.optionsOf(read.query().tenant)).map(shown) };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/discover',
      summary: 'The provider an e-mail address signs in through (by its domain); null: a password',
      tags: ['auth'],
      public: true,
      body: emailBody,
      responses: {
        200: {
          description: 'The provider, or null for the password form',
          schema: z.object({ provider: option.nullable() }),
        },
      },
    },
    async (ctx, read) => {
      const found = await sso.optionFor(read.body().email);
      ctx.body = { provider: found ? shown(found) : null };
    },
  );

  return router;
}

/**
 * Where a browser goes to sign in through a provider and where the provider sends it back
 * (not JSON: redirects). Failures go back to the login page with a word it explains
 * (`?sso=failed|refused|unknown`), never a page of JSON.
 */
export function ssoBrowserRoutes(
  sso: SsoSignInService,
  address: PublicAddress,
  secureCookies: boolean,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/sso' });
  const back = (ctx: Context, err: unknown) => {
    const code = (err as { code?: string }).code;
    const word =
      code === 'BW_ERR_SSO_NO_ROLE'
        ? 'no-role'
        : code === 'BW_ERR_SSO_REFUSED' || code === 'BW_ERR_ACCOUNT_DISABLED'
          ? 'refused'
          : code === 'BW_ERR_NOT_FOUND'
            ? 'unknown'
            : 'failed';
    if (!code) throw err;
    ctx.redirect(`/login?sso=${word}`);
  };

  const redirect = {
    302: {
      description: 'To the provider, back to the hub, or to the login page with what went wrong',
      contentType: 'text/plain',
      schema: z.string(),
    },
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/:id/login',
      summary: "Sends the browser to the provider's sign-in (its login page button)",
      tags: ['auth'],
      public: true,
      params: idParams,
      responses: redirect,
    },
    async (ctx) => {
      const parsed = idParams.safeParse(ctx.params);
      if (!parsed.success) return back(ctx, { code: 'BW_ERR_NOT_FOUND' });
      try {
        ctx.redirect(await sso.start(parsed.data.id, address.origin(ctx)));
      } catch (err) {
        back(ctx, err);
      }
    },
  );

  /**
   * A session, the hub's second factor, or the login page: where a provider's answer leads; an
   * admin's test goes back to the providers page, which shows what the provider said.
   */
  const signedIn = (ctx: Context, result: ProviderOutcome) => {
    if (result.kind === 'test')
      ctx.redirect(
        `/admin/sso?testProvider=${result.providerId}&testResult=${encodeURIComponent(result.resultId)}`,
      );
    // The second step's ticket in the fragment: never sent to a server, nor in its logs.
    else if (result.kind === 'mfa') ctx.redirect(`/login#mfa=${encodeURIComponent(result.ticket)}`);
    else if (result.kind === 'enrol')
      ctx.redirect(`/login#enrol=${encodeURIComponent(result.ticket)}`);
    else {
      setSessionCookies(ctx, result, secureCookies);
      ctx.redirect('/');
    }
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/:id/saml/metadata',
      summary:
        "A SAML provider's service provider metadata: the hub's entity id (this URL) and ACS, for the IdP's admin to import",
      tags: ['auth'],
      public: true,
      params: idParams,
      responses: {
        200: {
          description: 'SAML 2.0 metadata (EntityDescriptor with an SPSSODescriptor)',
          contentType: 'application/samlmetadata+xml',
          schema: z.string(),
        },
        404: { description: 'No SAML provider of that id' },
      },
    },
    async (ctx) => {
      const parsed = idParams.safeParse(ctx.params);
      if (!parsed.success) throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such SAML provider');
      ctx.body = await sso.samlMetadata(parsed.data.id, address.origin(ctx));
      ctx.type = 'application/samlmetadata+xml';
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/:id/saml/acs',
      summary:
        "The SAML IdP's answer (HTTP-POST binding to the ACS): a session, the hub's second factor, or the login page saying why not",
      tags: ['auth'],
      public: true,
      params: idParams,
      // Read by the handler itself (the JSON body parser leaves a form alone): for the document.
      rawBody: {
        contentType: 'application/x-www-form-urlencoded',
        description: "SAMLResponse (base64) and RelayState, as the IdP's page posts them",
        maxBytes: ACS_MAX_BYTES,
      },
      responses: redirect,
    },
    async (ctx) => {
      const parsed = idParams.safeParse(ctx.params);
      if (!parsed.success) return back(ctx, { code: 'BW_ERR_NOT_FOUND' });
      try {
        const form = new URLSearchParams(await readBody(ctx, ACS_MAX_BYTES));
        const samlResponse = form.get('SAMLResponse');
        if (!samlResponse)
          throw apiError(400, 'BW_ERR_SSO_FAILED', 'SAMLResponse: the IdP posted no answer');
        signedIn(
          ctx,
          await sso.finishSaml(parsed.data.id, samlResponse, address.origin(ctx), clientOf(ctx)),
        );
      } catch (err) {
        back(ctx, err);
      }
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/:id/saml/slo',
      summary:
        "SAML single logout (HTTP-Redirect binding): the IdP's signed LogoutRequest ends that person's sessions of this provider and is answered with the hub's signed LogoutResponse; the IdP's LogoutResponse to the hub's own request ends at the login page",
      tags: ['auth'],
      public: true,
      params: idParams,
      responses: redirect,
    },
    async (ctx) => {
      const parsed = idParams.safeParse(ctx.params);
      if (!parsed.success) return back(ctx, { code: 'BW_ERR_NOT_FOUND' });
      try {
        const query = Object.fromEntries(new URLSearchParams(ctx.querystring));
        ctx.redirect(
          await sso.samlSlo(
            parsed.data.id,
            query,
            ctx.querystring,
            address.origin(ctx),
            clientOf(ctx),
          ),
        );
      } catch (err) {
        back(ctx, err);
      }
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/:id/callback',
      summary:
        "The provider's answer (OIDC redirect URI): a session, the hub's second factor, or the login page saying why not",
      tags: ['auth'],
      public: true,
      params: idParams,
      responses: redirect,
    },
    async (ctx) => {
      const parsed = idParams.safeParse(ctx.params);
      if (!parsed.success) return back(ctx, { code: 'BW_ERR_NOT_FOUND' });
      try {
        signedIn(ctx, await sso.finish(parsed.data.id, new URL(ctx.href), clientOf(ctx)));
      } catch (err) {
        back(ctx, err);
      }
    },
  );

  return router;
}

/** A SAML response with its signature and a few attributes is a few KB; Entra ID's with many groups, tens. */
const ACS_MAX_BYTES = 512 * 1024;

/** The request's body as text (the JSON body parser leaves a form alone), refused past `max`. */
async function readBody(ctx: Context, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw apiError(413, 'BW_ERR_SSO_FAILED', 'SAMLResponse: larger than 512 KB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
