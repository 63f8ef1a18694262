import type { Router } from '@koa/router';
import type { Middleware } from 'koa';
import type { RequestScope } from '../db/request-scope.js';
import { apiError } from '../http/errors.js';
import type { AppState, UserAccess } from '../http/request-state.js';

import { requestActor } from './request-actor.js';
import { ROUTE_PERMISSIONS } from './route-permissions.js';

export interface AccessSource {
  /** Undefined when the user is disabled or gone. */
  accessOf(user: AppState['user']): Promise<UserAccess | undefined>;
}

interface RouteLayer {
  path: string;
  methods: string[];
  match(path: string): boolean;
}

/** `METHOD /path` keys of every route the routers register (route-permissions.test.ts). */
export function routeKeys(routers: readonly Router<AppState>[]): string[] {
  return routeLayers(routers).flatMap((layer) =>
    layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path}`),
  );
}

function routeLayers(routers: readonly Router<AppState>[]): RouteLayer[] {
  // Layers without methods are router.use() middleware, not routes.
  return routers.flatMap((r) => r.stack as unknown as RouteLayer[]).filter((l) => l.methods.length);
}

/**
 * The one place permissions are enforced: runs after the session guard, finds the route the
 * request will reach, and checks the permission route-permissions.ts names for it; then runs
 * the rest of the request inside the tenant's database scope (row-level security).
 */
export function authorize(
  routers: readonly Router<AppState>[],
  access: AccessSource,
  scope: RequestScope | undefined,
): Middleware<AppState> {
  const layers = routeLayers(routers);
  return async (ctx, next) => {
    const user = ctx.state.user as AppState['user'] | undefined;
    if (!user) return next();
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const layer = layers.find((l) => l.methods.includes(method) && l.match(ctx.path));
    if (!layer) return next();
    const needed = ROUTE_PERMISSIONS[`${method} ${layer.path}`];
    // Fail closed: a route missing from the table is refused, not let through.
    if (!needed)
      throw apiError(
        403,
        'BW_ERR_FORBIDDEN',
        `no permission is declared for ${method} ${layer.path}`,
      );
    if (needed === 'public') return next();
    const granted = await access.accessOf(user);
    if (!granted) throw apiError(401, 'BW_ERR_UNAUTHENTICATED', 'this account is disabled');
    if (needed !== 'session' && !granted.permissions.has(needed))
      throw apiError(403, 'BW_ERR_FORBIDDEN', `this needs the ${needed} permission`);
    ctx.state.access = granted;
    // Who acts, for audit entries of services whose methods take no user (request-actor.ts).
    const actor = { id: user.id, username: user.username, tenantId: user.tenantId };
    const rest = () => requestActor.run({ ...actor, ip: ctx.ip || null }, next);
    if (!scope) return rest();
    return scope.run({ tenantId: user.tenantId, branchIds: granted.branchIds }, rest);
  };
}
