import { Router } from '@koa/router';
import { z } from 'zod';
import { notFound } from '../errors.js';
import type { AppState } from '../middleware/session.js';
import { ROLES } from '../models/user.model.js';
import { PERMISSIONS } from '../security/permissions.js';
import { BUILT_IN_ROLES, type UserAdminService } from '../services/user-admin.service.js';
import { parseInput } from './validate.js';

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
});
const permissions = z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length);
const newRole = z.strictObject({
  name: z.string().min(1).max(100),
  permissions,
  tenantId: z.uuid().nullable().optional(),
});
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

  router.get('/users', async (ctx) => {
    ctx.body = { items: await admin.listUsers(ctx.state.user) };
  });
  router.post('/users', async (ctx) => {
    ctx.status = 201;
    ctx.body = {
      user: await admin.createUser(ctx.state.user, parseInput(newUser, ctx.request.body)),
    };
  });
  router.patch('/users/:id', async (ctx) => {
    const change = parseInput(userChange, ctx.request.body);
    ctx.body = {
      user: await admin.updateUser(ctx.state.user, idOf(ctx.params.id, 'user'), change),
    };
  });

  router.get('/roles', async (ctx) => {
    ctx.body = { items: await admin.listRoles(ctx.state.user), builtIn: BUILT_IN_ROLES };
  });
  router.post('/roles', async (ctx) => {
    ctx.status = 201;
    ctx.body = {
      role: await admin.createRole(ctx.state.user, parseInput(newRole, ctx.request.body)),
    };
  });
  router.patch('/roles/:id', async (ctx) => {
    const change = parseInput(roleChange, ctx.request.body);
    ctx.body = {
      role: await admin.updateRole(ctx.state.user, idOf(ctx.params.id, 'role'), change),
    };
  });
  router.delete('/roles/:id', async (ctx) => {
    await admin.deleteRole(ctx.state.user, idOf(ctx.params.id, 'role'));
    ctx.status = 204;
  });

  return router;
}
