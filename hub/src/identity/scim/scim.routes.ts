import type { PublicAddress } from '../../http/public-address.js';
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import type { RequestScope } from '../../db/request-scope.js';
import { defineRoute } from '../../http/define.js';
import type { AppState } from '../../http/request-state.js';
import { ScimError } from './scim-errors.js';
import { MAX_RESULTS, type ScimCaller, type ScimService } from './scim.service.js';

/** Where the SCIM service is; a directory is given `<hub address>/scim/v2` (docs/scim.md). */
export const SCIM_PREFIX = '/scim/v2';
const SCIM_JSON = 'application/scim+json';

const listQuery = z.object({
  filter: z.string().max(1000).optional(),
  startIndex: z.coerce.number().int().optional(),
  count: z.coerce.number().int().optional(),
  excludedAttributes: z.string().max(200).optional(),
  attributes: z.string().max(500).optional(),
});
const idParams = z.object({ id: z.string() });
// The bodies are SCIM resources and PatchOp messages (RFC 7643/7644), read by the service.
const scimBody = z.record(z.string(), z.unknown());

// What the service answers, for the OpenAPI document: SCIM's common attributes (RFC 7643 §3.1)
// with the resource's own beside them (userName, name, emails, active, groups; displayName,
// members).
const reference = z.looseObject({ value: z.string(), display: z.string(), $ref: z.string() });
const scimResource = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  externalId: z.string().optional(),
  userName: z.string().optional(),
  active: z.boolean().optional(),
  displayName: z.string().optional(),
  groups: z.array(reference).optional(),
  members: z.array(reference).optional(),
  meta: z.looseObject({
    resourceType: z.string(),
    created: z.string(),
    lastModified: z.string(),
    location: z.string(),
  }),
});
// RFC 7644 §3.4.2.
const listResponse = z.looseObject({
  schemas: z.array(z.string()),
  totalResults: z.number().int(),
  startIndex: z.number().int(),
  itemsPerPage: z.number().int(),
  Resources: z.array(scimResource),
});
// RFC 7643 §5.
const serviceProviderConfig = z.looseObject({
  schemas: z.array(z.string()),
  patch: z.looseObject({ supported: z.boolean() }),
  filter: z.looseObject({ supported: z.boolean() }),
  authenticationSchemes: z.array(z.looseObject({})),
});

/**
 * The SCIM 2.0 service (RFC 7644) a tenant's directory provisions people and groups through,
 * authenticated by a bearer token of the tenant (`/api/v1/scim/tokens`). Each request runs in
 * the token's tenant scope (row-level security), and answers SCIM's own JSON and errors.
 */
export function scimRoutes(
  scim: ScimService,
  address: PublicAddress,
  scope?: RequestScope,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: SCIM_PREFIX });

  router.use(async (ctx: Context, next: Next) => {
    try {
      const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
      const tenantId = match ? await scim.tenantOf(match[1]!) : undefined;
      if (!tenantId) {
        ctx.set('WWW-Authenticate', 'Bearer realm="scim"');
        throw new ScimError(401, 'a SCIM bearer token of the tenant is needed');
      }
      // Resources' locations name the hub's public address (BW_PUBLIC_URL) when it is set, so
      // a forged Host header cannot change what the directory stores.
      const caller: ScimCaller = { tenantId, baseUrl: `${address.origin(ctx)}${SCIM_PREFIX}` };
      ctx.state.scim = caller;
      const run = () => next();
      await (scope ? scope.run({ tenantId, branchIds: [] }, run) : run());
      if (ctx.body !== undefined && ctx.status !== 204) ctx.type = SCIM_JSON;
    } catch (err) {
      const e =
        err instanceof ScimError
          ? err
          : (err as { status?: number }).status && (err as { status: number }).status < 500
            ? new ScimError(
                (err as { status: number }).status,
                (err as Error).message,
                (err as { status: number }).status === 400 ? 'invalidSyntax' : undefined,
              )
            : undefined;
      if (!e) throw err;
      ctx.status = e.status;
      ctx.type = SCIM_JSON;
      ctx.body = e.body();
    }
  });

  const callerOf = (ctx: Context) => (ctx.state as { scim: ScimCaller }).scim;
  const resource = (
    kind: 'Users' | 'Groups',
    ops: {
      list: (c: ScimCaller, q: z.output<typeof listQuery>) => Promise<unknown>;
      get: (c: ScimCaller, id: string) => Promise<unknown>;
      create: (c: ScimCaller, body: unknown) => Promise<unknown>;
      replace: (c: ScimCaller, id: string, body: unknown) => Promise<unknown>;
      patch: (c: ScimCaller, id: string, body: unknown) => Promise<unknown>;
      remove: (c: ScimCaller, id: string) => Promise<void>;
    },
  ) => {
    const tags = ['scim'];
    const one = kind === 'Users' ? 'User' : 'Group';
    defineRoute(
      router,
      {
        method: 'get',
        path: `/${kind}`,
        summary: `SCIM: ${kind}, filtered by ${kind === 'Users' ? 'userName or externalId' : 'displayName or externalId'} eq (at most ${MAX_RESULTS} a page)`,
        tags,
        public: true,
        query: listQuery,
        responses: {
          200: { description: 'A ListResponse', contentType: SCIM_JSON, schema: listResponse },
        },
      },
      async (ctx, read) => {
        ctx.body = await ops.list(callerOf(ctx), read.query());
      },
    );
    defineRoute(
      router,
      {
        method: 'post',
        path: `/${kind}`,
        summary: `SCIM: creates a ${one}`,
        tags,
        public: true,
        body: scimBody,
        responses: {
          201: { description: `The ${one}`, contentType: SCIM_JSON, schema: scimResource },
        },
      },
      async (ctx, read) => {
        const created = (await ops.create(callerOf(ctx), read.body())) as {
          meta: { location: string };
        };
        ctx.status = 201;
        ctx.set('Location', created.meta.location);
        ctx.body = created;
      },
    );
    defineRoute(
      router,
      {
        method: 'get',
        path: `/${kind}/:id`,
        summary: `SCIM: one ${one}`,
        tags,
        public: true,
        params: idParams,
        responses: {
          200: { description: `The ${one}`, contentType: SCIM_JSON, schema: scimResource },
        },
      },
      async (ctx) => {
        ctx.body = await ops.get(callerOf(ctx), ctx.params.id!);
      },
    );
    defineRoute(
      router,
      {
        method: 'put',
        path: `/${kind}/:id`,
        summary: `SCIM: replaces a ${one}`,
        tags,
        public: true,
        params: idParams,
        body: scimBody,
        responses: {
          200: { description: `The ${one}`, contentType: SCIM_JSON, schema: scimResource },
        },
      },
      async (ctx, read) => {
        ctx.body = await ops.replace(callerOf(ctx), ctx.params.id!, read.body());
      },
    );
    defineRoute(
      router,
      {
        method: 'patch',
        path: `/${kind}/:id`,
        summary: `SCIM: changes a ${one} with a PatchOp message`,
        tags,
        public: true,
        params: idParams,
        body: scimBody,
        responses: {
          200: { description: `The ${one}`, contentType: SCIM_JSON, schema: scimResource },
        },
      },
      async (ctx, read) => {
        ctx.body = await ops.patch(callerOf(ctx), ctx.params.id!, read.body());
      },
    );
    defineRoute(
      router,
      {
        method: 'delete',
        path: `/${kind}/:id`,
        summary: `SCIM: removes a ${one}`,
        tags,
        public: true,
        params: idParams,
        responses: { 204: { description: 'Removed' } },
      },
      async (ctx) => {
        await ops.remove(callerOf(ctx), ctx.params.id!);
        ctx.status = 204;
      },
    );
  };

  resource('Users', {
    list: (c, q) => scim.listUsers(c, q),
    get: (c, id) => scim.getUser(c, id),
    create: (c, b) => scim.createUser(c, b),
    replace: (c, id, b) => scim.replaceUser(c, id, b),
    patch: (c, id, b) => scim.patchUser(c, id, b),
    remove: (c, id) => scim.deleteUser(c, id),
  });
  resource('Groups', {
    list: (c, q) => scim.listGroups(c, q),
    get: (c, id) => scim.getGroup(c, id),
    create: (c, b) => scim.createGroup(c, b),
    replace: (c, id, b) => scim.replaceGroup(c, id, b),
    patch: (c, id, b) => scim.patchGroup(c, id, b),
    remove: (c, id) => scim.deleteGroup(c, id),
  });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/ServiceProviderConfig',
      summary: 'SCIM: what this service supports (RFC 7643 §5)',
      tags: ['scim'],
      public: true,
      responses: {
        200: {
          description: 'The configuration',
          contentType: SCIM_JSON,
          schema: serviceProviderConfig,
        },
      },
    },
    (ctx) => {
      ctx.body = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: MAX_RESULTS },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false },
        authenticationSchemes: [
          {
            type: 'oauthbearertoken',
            name: 'Bearer token',
            description: "A SCIM token of the tenant's, made in Admin → Users → Provisioning",
            primary: true,
          },
        ],
        meta: {
          resourceType: 'ServiceProviderConfig',
          location: `${address.origin(ctx)}${SCIM_PREFIX}/ServiceProviderConfig`,
        },
      };
    },
  );

  return router;
}
