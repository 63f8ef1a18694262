import type { Router } from '@koa/router';
import type { Middleware } from 'koa';
import type { RequestScope } from '../db/request-scope.js';
import { apiError } from '../http/errors.js';
import type { AppState, SessionUser, UserAccess } from '../http/request-state.js';

import { requestActor } from './request-actor.js';
import { ROUTE_PERMISSIONS, type RouteRequirement } from './route-permissions.js';

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
 * Acting as a user on a route: the one place permissions are enforced, for the REST API (the
 * `authorize` middleware below) and for every other way in that does what a route does (the
 * Telegram bot's commands). `run` checks the permission route-permissions.ts names for the
 * route key, refuses a disabled user, and runs `work` inside the tenant's and branches'
 * database scope (row-level security) with the user as the audited actor.
 */
export class RouteAccess {
  constructor(
    private readonly access: AccessSource,
    private readonly scope: RequestScope | undefined,
  ) {}

  /** The user's access if they may use the route `key` (`METHOD /path/pattern`); else throws. */
  async check(user: SessionUser, key: string): Promise<UserAccess> {
    const needed = required(key);
    const granted = await this.access.accessOf(user);
    if (!granted) throw apiError(401, 'BW_ERR_UNAUTHENTICATED', 'this account is disabled');
    if (needed !== 'public' && needed !== 'session' && !granted.permissions.has(needed))
      throw apiError(403, 'BW_ERR_FORBIDDEN', `this needs the ${needed} permission`);
    return granted;
  }

  /** Checks the route's permission, then runs `work` as the user, in their database scope. */
  async run<T>(
    user: SessionUser,
    key: string,
    client: { ip: string | null },
    work: (access: UserAccess) => Promise<T>,
  ): Promise<T> {
    if (!this.scope) {
      const granted = await this.check(user, key);
      return this.within(user, granted, client, () => work(granted));
    }
    required(key);
    let granted: UserAccess | undefined;
    // The check reads the user's access on the connection of the request's own transaction.
    return this.scope.run(
      async () => {
        granted = await this.check(user, key);
        return { tenantId: user.tenantId, branchIds: granted.branchIds };
      },
      () => requestActor.run(actorOf(user, client), () => work(granted!)),
    );
  }

  /**
   * Runs `work` in the user's scope, for work that outlives the request's own transaction (a
   * streamed export reads page by page, each page in a scope of its own).
   */
  within<T>(
    user: SessionUser,
    granted: UserAccess,
    client: { ip: string | null },
    work: () => Promise<T>,
  ): Promise<T> {
    const rest = () => requestActor.run(actorOf(user, client), work);
    if (!this.scope) return rest();
    return this.scope.run({ tenantId: user.tenantId, branchIds: granted.branchIds }, rest);
  }
}

/** The permission the route `key` needs; a route missing from the table is refused (fail closed). */
function required(key: string): RouteRequirement {
  const needed = ROUTE_PERMISSIONS[key];
  if (!needed) throw apiError(403, 'BW_ERR_FORBIDDEN', `no permission is declared for ${key}`);
  return needed;
}

/** Who acts, for audit entries of services whose methods take no user (request-actor.ts). */
function actorOf(user: SessionUser, client: { ip: string | null }) {
  return { id: user.id, username: user.username, tenantId: user.tenantId, ...client };
}

/**
 * The permission check of every API request: runs after the session guard, finds the route
 * the request will reach, and runs the rest of the request through `RouteAccess.run`.
 */
export function authorize(
  routers: readonly Router<AppState>[],
  routeAccess: RouteAccess,
): Middleware<AppState> {
  const layers = routeLayers(routers);
  return async (ctx, next) => {
    const user = ctx.state.user as AppState['user'] | undefined;
    if (!user) return next();
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const layer = layers.find((l) => l.methods.includes(method) && l.match(ctx.path));
    if (!layer) return next();
    const key = `${method} ${layer.path}`;
    if (ROUTE_PERMISSIONS[key] === 'public') return next();
    const client = { ip: ctx.ip || null };
    return routeAccess.run(user, key, client, (granted) => {
      ctx.state.access = granted;
      ctx.state.inScope = (work) => routeAccess.within(user, granted, client, work);
      return next();
    });
  };
}
