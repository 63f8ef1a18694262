import { Router } from '@koa/router';
import { z } from 'zod';
import { notFound } from '../http/errors.js';
import { PERMISSIONS } from './permissions.js';
import { BUILT_IN_ROLES, type UserAdminService } from './user-admin.service.js';
import { defineRoute } from '../http/define.js';
import { itemsOf } from '../http/schemas.js';
import { builtInRoles, customRole, user } from './identity.schemas.js';
import type { AppState } from '../http/request-state.js';
import { ROLES } from '@branchwatch/api';

const branchIds = z.array(z.uuid()).max(1000);
const newUser = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(8).max(1000),
  role: z.enum(ROLES).default('viewer'),
  tenantId: z.uuid().nullable().optional(),
  customRoleId: z.uuid().nullable().optional(),
  branchIds: branchIds.optional(),
});
const userChange = z.strictObject({
  role: z.enum(ROLES).optional(),
  customRoleId: z.uuid().nullable().optional(),
  branchIds: branchIds.optional(),
  disabled: z.boolean().optional(),
  /** A new password the admin hands the person (who forgot theirs); ends their sessions. */
  password: z.string().min(8).max(1000).optional(),
});
const permissions = z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length);
const newRole = z.strictObject({
  name: z.string().min(1).max(100),
  permissions,
  tenantId: z.uuid().nullable().optional(),
});
const idParams = z.object({ id: z.uuid() });
const roleChange = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  permissions: permissions.optional(),
});

/** An id that is not a uuid names nothing: 404 like any other missing object. */
function idOf(raw: string | undefined, what: string): string {
  if (!z.uuid().safeParse(raw).success)
    throw notFound('BW_ERR_NOT_FOUND', `${what} ${raw} does not exist`);
  return raw!;
}

/** Users and custom roles (users.manage): a tenant admin manages their own tenant only. */
export function userRoutes(admin: UserAdminService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/users',
      summary: 'The users (a tenant admin sees their tenant only)',
      tags: ['users'],
      responses: { 200: { description: 'The users', schema: itemsOf(user) } },
    },
    async (ctx) => {
      ctx.body = { items: await admin.listUsers(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/users',
      summary: 'Creates a user',
      tags: ['users'],
      body: newUser,
      responses: { 201: { description: 'The new user', schema: z.object({ user }) } },
    },
    async (ctx, read) => {
      ctx.status = 201;
      ctx.body = { user: await admin.createUser(ctx.state.user, read.body()) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/users/:id',
      summary:
        "Changes a user's role, custom role, branches, disabled flag or password; disabling or a new password ends the user's sessions and API tokens",
      tags: ['users'],
      params: idParams,
      body: userChange,
      responses: { 200: { description: 'The user', schema: z.object({ user }) } },
    },
    async (ctx, read) => {
      const change = read.body();
      ctx.body = {
        user: await admin.updateUser(ctx.state.user, idOf(ctx.params.id, 'user'), change),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/roles',
      summary: 'The custom roles, and what each built-in role holds',
      tags: ['users'],
      responses: {
        200: {
          description: 'Custom roles and the built-in table',
          schema: itemsOf(customRole).extend({ builtIn: builtInRoles }),
        },
      },
    },
    async (ctx) => {
      ctx.body = { items: await admin.listRoles(ctx.state.user), builtIn: BUILT_IN_ROLES };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/roles',
      summary: 'Creates a custom role from permissions',
      tags: ['users'],
      body: newRole,
      responses: { 201: { description: 'The new role', schema: z.object({ role: customRole }) } },
    },
    async (ctx, read) => {
      ctx.status = 201;
      ctx.body = { role: await admin.createRole(ctx.state.user, read.body()) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/roles/:id',
      summary: 'Renames a custom role or changes its permissions',
      tags: ['users'],
      params: idParams,
      body: roleChange,
      responses: { 200: { description: 'The role', schema: z.object({ role: customRole }) } },
    },
    async (ctx, read) => {
      const change = read.body();
      ctx.body = {
        role: await admin.updateRole(ctx.state.user, idOf(ctx.params.id, 'role'), change),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/roles/:id',
      summary: 'Removes a custom role',
      tags: ['users'],
      params: idParams,
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx) => {
      await admin.deleteRole(ctx.state.user, idOf(ctx.params.id, 'role'));
      ctx.status = 204;
    },
  );

  return router;
}
