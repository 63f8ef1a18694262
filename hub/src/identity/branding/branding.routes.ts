import fs from 'node:fs/promises';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ACCENT_PATTERN, LOGO_MAX_BYTES } from '@branchwatch/api';
import { defineRoute } from '../../http/define.js';
import { notFound } from '../../http/errors.js';
import { uuid } from '../../http/schemas.js';
import type { AppState } from '../../http/request-state.js';
import type { Brand, BrandingService } from './branding.service.js';
import type { Logo } from './branding.repository.js';

const brand = z.object({
  productName: z.string(),
  accentColor: z.string().nullable().describe('`#rrggbb`; null: the product’s own colours'),
  logoVersion: z
    .string()
    .nullable()
    .describe('changes with each logo: add it to the logo’s address as `?v=`; null: no logo'),
});
const settingsAnswer = z.object({
  branding: z.object({
    tenantId: uuid.nullable().describe('null: the hub’s own branding (global admins)'),
    productName: z.string().nullable(),
    accentColor: z.string().nullable(),
    hasLogo: z.boolean(),
    fallback: brand.describe('what shows where nothing is set'),
  }),
});
const tenantQuery = z.strictObject({
  /** A global admin names the tenant (none: the hub's own); a tenant admin their own. */
  tenantId: z.uuid().optional(),
});
const optionalText = z
  .string()
  .trim()
  .max(60)
  .nullable()
  .transform((v) => v || null);
const settingsInput = z.strictObject({
  tenantId: z.uuid().nullable().optional(),
  productName: optionalText,
  accentColor: z
    .string()
    .trim()
    .toLowerCase()
    .regex(ACCENT_PATTERN, 'a colour as #rrggbb')
    .nullable()
    .or(z.literal('').transform(() => null)),
});

/** An image the hub checked at upload (PNG or JPEG), never sniffed into something else. */
function sendLogo(ctx: Context, logo: Logo | undefined) {
  if (!logo) throw notFound('BW_ERR_NOT_FOUND', 'no logo is set');
  ctx.type = logo.type;
  ctx.set('x-content-type-options', 'nosniff');
  // The address carries the logo's version (`?v=`): a new logo is a new address.
  ctx.set('cache-control', 'private, max-age=86400');
  ctx.body = logo.content;
}

/**
 * Branding (docs/branding.md): what everyone signed in reads of their own tenant's (the
 * portal's header), and what a tenant admin (`branding.manage`) sets: product name, accent
 * colour, logo. Global admins set the hub's own, shown where a tenant set nothing.
 */
export function brandingRoutes(branding: BrandingService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/branding' });
  const answer = async (ctx: Context, settings: Promise<unknown>) => {
    ctx.body = { branding: await settings };
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/',
      summary: "The branding of the person's own tenant (else the hub's)",
      tags: ['branding'],
      responses: {
        200: { description: 'What their pages show', schema: z.object({ branding: brand }) },
      },
    },
    async (ctx) => {
      const mine: Brand = await branding.brandOf(ctx.state.user.tenantId);
      ctx.body = { branding: mine };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/logo',
      summary: "The logo of the person's own tenant (else the hub's)",
      tags: ['branding'],
      query: z.strictObject({ v: z.string().max(100).optional() }),
      responses: {
        200: { description: 'PNG or JPEG', contentType: 'image/png', schema: z.string() },
      },
    },
    async (ctx) => sendLogo(ctx, await branding.logoOf(ctx.state.user.tenantId)),
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/settings',
      summary: 'What is set for a tenant (or for the hub), and what shows where nothing is',
      tags: ['branding'],
      query: tenantQuery,
      responses: { 200: { description: 'The settings', schema: settingsAnswer } },
    },
    async (ctx, read) => answer(ctx, branding.settings(ctx.state.user, read.query().tenantId)),
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/settings',
      summary: 'Sets the product name and accent colour (null: nothing of its own)',
      tags: ['branding'],
      body: settingsInput,
      responses: { 200: { description: 'As saved', schema: settingsAnswer } },
    },
    async (ctx, read) => answer(ctx, branding.save(ctx.state.user, read.body())),
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/settings/logo',
      summary: 'The logo set for a tenant itself (or for the hub)',
      tags: ['branding'],
      // `v` changes with each upload, so the admin's preview never shows a cached old logo.
      query: tenantQuery.extend({ v: z.string().max(100).optional() }),
      responses: {
        200: { description: 'PNG or JPEG', contentType: 'image/png', schema: z.string() },
      },
    },
    async (ctx, read) =>
      sendLogo(ctx, await branding.ownLogo(ctx.state.user, read.query().tenantId)),
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/settings/logo',
      summary: 'Sets the logo: the raw request body, a PNG or JPEG (SVG is refused)',
      tags: ['branding'],
      query: tenantQuery,
      rawBody: {
        contentType: 'image/png',
        description: `PNG or JPEG, at most ${LOGO_MAX_BYTES} bytes`,
        maxBytes: LOGO_MAX_BYTES,
      },
      responses: { 200: { description: 'As saved', schema: settingsAnswer } },
    },
    async (ctx, read) => {
      const staged = ctx.state.upload;
      if (!staged) throw new Error('an upload route ran without its staged body');
      const content = await fs.readFile(staged.path);
      await answer(
        ctx,
        branding.saveLogo(ctx.state.user, read.query().tenantId, content, ctx.get('content-type')),
      );
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/settings/logo',
      summary: 'Removes the logo (the hub’s shows again, if it has one)',
      tags: ['branding'],
      query: tenantQuery,
      responses: { 200: { description: 'As saved', schema: settingsAnswer } },
    },
    async (ctx, read) => answer(ctx, branding.removeLogo(ctx.state.user, read.query().tenantId)),
  );

  return router;
}
